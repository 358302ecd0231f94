// A loopback stand-in for the Ministry's receiving endpoint: it can be down, fail at random, answer late or hold a
// request, and it verifies and counts what arrives as docs/feed.md tells a receiver to.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';

export type ReceiverMode =
  | { kind: 'up' }
  /** Not listening: a connection is refused. */
  | { kind: 'down' }
  /** Answers 500 to a share of requests (seeded, so a run is repeatable). */
  | { kind: 'flaky'; failShare: number; seed: number }
  /** Takes each request and answers 200 only after `delayMs`. */
  | { kind: 'slow'; delayMs: number }
  /** Takes requests and answers none until released (the test abandons the sender meanwhile). */
  | { kind: 'hold' };

export interface Delivery {
  deliveryId: string;
  /** The header `delivery` inside the signed part: must equal the HTTP header's. */
  signedDeliveryId: string;
  jws: string;
  ids: string[];
  records: Record<string, unknown>[];
}

export interface FiaReceiver {
  url: string;
  /** Every POST the receiver took (whatever it answered), in arrival order. */
  posts: { deliveryId: string; jws: string; answered: number | 'none' }[];
  /** Verified batches, one per delivery id (repeats dropped), in arrival order. */
  deliveries: Delivery[];
  /** Repeats of a delivery id that were dropped. */
  repeats: number;
  /** Signatures that did not verify, or a wrong typ: nothing of those was counted. */
  rejected: string[];
  setMode(mode: ReceiverMode): Promise<void>;
  /** Answers the held requests (200) and forgets them. */
  release(): void;
  close(): Promise<void>;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * `jwksUrl` names the API's published feed JWKS; it is read when the first batch arrives, so the receiver can
 * start (and its URL be configured) before the platform.
 */
export async function startFiaReceiver(jwksUrl: () => string, secret?: string): Promise<FiaReceiver> {
  let mode: ReceiverMode = { kind: 'up' };
  let random = () => 0;
  let jwks: ReturnType<typeof createLocalJWKSet> | undefined;
  const held: (() => void)[] = [];
  const seen = new Set<string>();
  const receiver: FiaReceiver = {
    url: '',
    posts: [],
    deliveries: [],
    repeats: 0,
    rejected: [],
    setMode: async () => undefined,
    release: () => undefined,
    close: async () => undefined,
  };

  const accept = async (deliveryId: string, jws: string) => {
    jwks ??= createLocalJWKSet((await (await fetch(jwksUrl())).json()) as JSONWebKeySet);
    const header = decodeProtectedHeader(jws);
    if (header.typ !== 'rahdari-feed+jws') throw new Error(`typ ${String(header.typ)}`);
    const { payload, protectedHeader } = await compactVerify(jws, jwks, { algorithms: ['ES256'] });
    if (protectedHeader.delivery !== deliveryId) throw new Error('delivery id differs from the signed one');
    if (seen.has(deliveryId)) {
      receiver.repeats++;
      return;
    }
    seen.add(deliveryId);
    const text = new TextDecoder().decode(payload);
    const records = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    receiver.deliveries.push({
      deliveryId,
      signedDeliveryId: String(protectedHeader.delivery),
      jws,
      ids: records.map((r) => String(r.id)),
      records,
    });
  };

  const server: Server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const deliveryId = String(req.headers['rahdari-delivery-id'] ?? '');
    const post = { deliveryId, jws: body, answered: 'none' as number | 'none' };
    receiver.posts.push(post);
    const answer = (status: number) => {
      post.answered = status;
      if (!res.headersSent && !res.destroyed) res.writeHead(status).end();
    };
    if (secret !== undefined && req.headers.authorization !== `Bearer ${secret}`) return answer(401);
    if (mode.kind === 'flaky' && random() < mode.failShare) return answer(500);
    if (mode.kind === 'hold') {
      // Taken, never answered until released: like a receiver that stored it and then lost the connection.
      held.push(() => answer(200));
      return;
    }
    try {
      await accept(deliveryId, body);
    } catch (error) {
      receiver.rejected.push(error instanceof Error ? error.message : String(error));
      return answer(400);
    }
    if (mode.kind === 'slow') {
      const delayMs = mode.delayMs;
      setTimeout(() => answer(200), delayMs);
      return;
    }
    answer(200);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/fia/crossings`;
  let listening = true;

  receiver.setMode = async (next) => {
    mode = next;
    if (next.kind === 'flaky') random = mulberry32(next.seed);
    if (next.kind === 'down' && listening) {
      listening = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    } else if (next.kind !== 'down' && !listening) {
      listening = true;
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    }
  };
  receiver.release = () => {
    for (const answer of held.splice(0)) answer();
  };
  receiver.close = async () => {
    receiver.release();
    if (!listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };
  return receiver;
}
