// The two places a signed feed batch can go: the Ministry's HTTPS endpoint, or a directory when none is set.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedTransport } from './feed.ts';

/** The header that carries the delivery id beside the body, for receivers that route before they verify. */
export const DELIVERY_ID_HEADER = 'rahdari-delivery-id';

export interface HttpTransportOptions {
  /** The URL, or how to read it (a cached parameter in AWS). */
  endpoint: string | (() => Promise<string>);
  /** The bearer secret, read through a cache (Powertools Parameters in AWS); none when the receiver wants none. */
  credential: () => Promise<string | undefined>;
  /** A request that takes longer is abandoned and counted as a failed attempt. */
  timeoutMs: number;
}

/** POSTs the JWS as `application/jose`; any 2xx is a delivery, anything else a failure with a one-line reason. */
export function httpTransport(options: HttpTransportOptions): FeedTransport {
  return {
    async send(deliveryId, jws) {
      const secret = await options.credential();
      let response: Response;
      try {
        const endpoint = typeof options.endpoint === 'string' ? options.endpoint : await options.endpoint();
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/jose',
            [DELIVERY_ID_HEADER]: deliveryId,
            ...(secret ? { authorization: `Bearer ${secret}` } : {}),
          },
          body: jws,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw new Error(describeFailure(error, options.timeoutMs));
      }
      // The body is read and dropped so the connection can be reused; what the receiver says is not trusted.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 200 || response.status > 299) {
        throw new Error(`the receiver answered HTTP ${response.status}`);
      }
    },
  };
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  if (cause?.code) return `the request failed: ${cause.code}`;
  return `the request failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** Writes `<dir>/<delivery id>.jws` (whole or not at all): the local stand-in for the Ministry's endpoint. */
export function directoryTransport(dir: string): FeedTransport {
  return {
    async send(deliveryId, jws) {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${deliveryId}.jws`);
      writeFileSync(`${path}.tmp`, jws);
      renameSync(`${path}.tmp`, path);
    },
  };
}
