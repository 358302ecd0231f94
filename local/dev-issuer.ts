// The local stand-in for Cognito: signs ID tokens with the claims Cognito would carry, and checks them the way
// the HTTP API JWT authorizer does. Local only: nothing here is deployed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { jwtVerify, SignJWT } from 'jose';
import { generateSigningKey, importPublicKey, signerFromPkcs8 } from '../shared/keys.ts';
import type { DevLoginInput } from '../shared/schemas.ts';

export const DEV_AUDIENCE = 'rahdari-local';
const TOKEN_HOURS = 12;

export interface DevIssuer {
  issuer: string;
  login(input: DevLoginInput): Promise<{ token: string; expiresAt: string }>;
  /** The claims as the HTTP API authorizer passes them on (every value a string), or undefined if refused. */
  verify(token: string): Promise<Record<string, string> | undefined>;
}

export async function devIssuer(keyFile: string, issuer: string): Promise<DevIssuer> {
  if (!existsSync(keyFile)) writeFileSync(keyFile, (await generateSigningKey()).pkcs8Pem, { mode: 0o600 });
  const pem = readFileSync(keyFile, 'utf8');
  const signer = await signerFromPkcs8(pem);
  const { importPKCS8 } = await import('jose');
  const privateKey = await importPKCS8(pem, 'ES256');
  const publicKey = await importPublicKey(signer.publicJwk);
  return {
    issuer,
    async login(input) {
      const exp = Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600;
      const token = await new SignJWT({
        'cognito:groups': [input.role],
        token_use: 'id',
        ...(input.role === 'checkpoint-officer' ? { 'custom:checkpoint': input.checkpoint } : {}),
        // Cognito's custom attribute of the same name: the port office a Fisheries officer acts for.
        ...(input.role === 'fisheries-officer' && input.port !== undefined
          ? { 'custom:port': input.port }
          : {}),
        // Cognito's custom attribute of the same name: the 13 digits an applicant account may apply for.
        ...(input.role === 'applicant' && input.cnic !== undefined ? { 'custom:cnic': input.cnic } : {}),
      })
        .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'JWT' })
        .setSubject(input.sub)
        .setIssuer(issuer)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(privateKey);
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          issuer,
          audience: DEV_AUDIENCE,
          algorithms: ['ES256'],
          requiredClaims: ['sub', 'exp'],
        });
        return flattenClaims(payload);
      } catch {
        return undefined;
      }
    },
  };
}

/** API Gateway hands claims to the function as strings; arrays become "[a b]". Mirrored so handlers see the same. */
export function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    out[k] = Array.isArray(v)
      ? `[${v.join(' ')}]`
      : typeof v === 'object' && v !== null
        ? JSON.stringify(v)
        : String(v);
  }
  return out;
}
