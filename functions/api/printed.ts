// What every printed credential shares: cacheable QR image answers and bilingual, escaped label rows.
import { createHash } from 'node:crypto';
import { renderQrSvg } from '../../shared/qr.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import type { HttpEvent, HttpResult } from '../http/event.ts';

/**
 * A credential's QR never changes (its token is fixed at issue), so images are cacheable for a long time by the
 * holder's own browser, never by a shared cache, and revalidate cheaply by an ETag of the token.
 */
export async function credentialImage(
  event: HttpEvent,
  token: string,
  type: 'svg' | 'png',
): Promise<HttpResult> {
  const etag = `"${createHash('sha256').update(`${type}:${token}`).digest('base64url').slice(0, 22)}"`;
  const headers = { etag, 'cache-control': 'private, max-age=86400' };
  if (event.headers['if-none-match'] === etag) return { statusCode: 304, headers };
  if (type === 'svg')
    return {
      statusCode: 200,
      headers: { 'content-type': 'image/svg+xml', ...headers },
      body: await renderQrSvg(token),
    };
  return {
    statusCode: 200,
    headers: { 'content-type': 'image/png', ...headers },
    body: Buffer.from(await renderQrPng(token)).toString('base64'),
    isBase64Encoded: true,
  };
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A table row labelled in English with the Urdu label beneath; the value is escaped here. */
export const labelledRow = (en: string, ur: string, value: string, valueClass?: string) =>
  `<tr><th>${en}<span lang="ur" dir="rtl">${ur}</span></th><td${valueClass ? ` class="${valueClass}"` : ''}>${escapeHtml(value)}</td></tr>`;
