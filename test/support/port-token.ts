// A Fisheries officer's token bound to a port, signed by the local dev issuer's own key with the claims Cognito
// carries (`custom:port` as an administrator sets it). The dev login does not carry `custom:port` yet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { DEV_AUDIENCE } from '../../local/dev-issuer.ts';
import { signerFromPkcs8 } from '../../shared/keys.ts';

/** The issuer name local/platform.ts gives the dev issuer. */
const DEV_ISSUER = 'rahdari-local-dev-issuer';

export async function portOfficerToken(keyDir: string, sub: string, port: string): Promise<string> {
  const pem = readFileSync(join(keyDir, 'dev-issuer.pem'), 'utf8');
  const { kid } = await signerFromPkcs8(pem);
  return new SignJWT({ 'cognito:groups': ['fisheries-officer'], token_use: 'id', 'custom:port': port })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importPKCS8(pem, 'ES256'));
}
