// `rahdari sign`: a border pass or vessel registration from a claims file, as QR text and optionally images.
import { writeFileSync } from 'node:fs';
import {
  type CredentialKind,
  claimsOf,
  type PassClaims,
  signCredential,
  type VesselClaims,
} from '../../shared/credential.ts';
import { parseCnic } from '../../shared/domain/cnic.ts';
import { qrVersion, renderQrSvg, toQrText } from '../../shared/qr.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import { FileError, loadKeyDir, readJson } from '../../signing/key-dir.ts';
import { type CliIo, kindOf, need, parseCommand } from '../io.ts';

/**
 * Claims from a file. For convenience nbf and exp may be ISO dates, the CNIC may be written XXXXX-XXXXXXX-X and
 * crossing points may be a list; they are signed in their compact form.
 */
function readClaims(file: string, kind: CredentialKind): PassClaims | VesselClaims {
  const raw = readJson(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FileError(`${file}: not a JSON object`);
  const payload: Record<string, unknown> = { ...raw };
  for (const name of ['nbf', 'exp']) {
    const value = payload[name];
    if (typeof value === 'string') {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw new FileError(`${file}: ${name} is neither seconds nor an ISO date`);
      payload[name] = Math.floor(ms / 1000);
    }
  }
  if (typeof payload.c === 'string') {
    const cnic = parseCnic(payload.c);
    if (!cnic.ok) throw new FileError(`${file}: c: ${cnic.error}`);
    payload.c = Number(cnic.cnic);
  }
  if (Array.isArray(payload.p)) payload.p = payload.p.join(' ');
  const claims = claimsOf(kind, payload);
  const required = kind === 'bp' ? 'sub, nbf, exp, n, f, c, p' : 'sub, exp, n, o, c, h, m (nbf optional)';
  if (!claims)
    throw new FileError(`${file}: a ${kind} credential needs ${required} (see docs/credential-format.md)`);
  if (claims.nbf !== undefined && claims.exp <= claims.nbf)
    throw new FileError(`${file}: exp must be after nbf`);
  return claims;
}

export async function signCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, {
    keys: { type: 'string' },
    type: { type: 'string' },
    claims: { type: 'string' },
    png: { type: 'string' },
    svg: { type: 'string' },
  });
  const kind = kindOf(values.type, '--type');
  const claims = readClaims(need(values.claims, '--claims'), kind);
  const { signing } = await loadKeyDir(need(values.keys, '--keys'));
  const token =
    kind === 'bp'
      ? await signCredential(signing, 'bp', claims as PassClaims)
      : await signCredential(signing, 'vr', claims as VesselClaims);
  if (values.png) writeFileSync(values.png, await renderQrPng(token));
  if (values.svg) writeFileSync(values.svg, await renderQrSvg(token));
  io.stdout(toQrText(token));
  io.stderr(
    `signed ${claims.sub} with key ${signing.kid}: ${token.length} characters, QR version ${qrVersion(token)} at ECC M`,
  );
  return 0;
}
