// Request bodies: JSON only, at most 64 KB (or the route group's own limit), valid UTF-8, then the route's schema.
import type * as z from 'zod/mini';
import { zodIssuesToFieldErrors } from '../../shared/field-errors.ts';
import type { HttpEvent } from './event.ts';
import { MAX_BODY_BYTES, problems } from './problem.ts';

// fatal: a byte sequence that is not UTF-8 is refused rather than silently turned into U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// With the u flag a paired surrogate is one code point, so \p{Cs} matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;

function bodyText(event: HttpEvent, maxBytes: number): string {
  const raw = event.body ?? '';
  if (!event.isBase64Encoded) {
    if (Buffer.byteLength(raw, 'utf8') > maxBytes) throw problems.tooLarge(maxBytes);
    // A string with a lone surrogate has no UTF-8 form: the bytes that carried it were not UTF-8 either.
    if (LONE_SURROGATE.test(raw)) throw problems.invalid('The body is not valid UTF-8.');
    return raw;
  }
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length > maxBytes) throw problems.tooLarge(maxBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    throw problems.invalid('The body is not valid UTF-8.');
  }
}

export function readBody<S extends z.ZodMiniType>(
  event: HttpEvent,
  schema: S,
  maxBytes: number = MAX_BODY_BYTES,
): z.infer<S> {
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type))
    throw problems.unsupported();
  const text = bodyText(event, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw problems.invalid('The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw problems.invalid('Some fields are invalid.', zodIssuesToFieldErrors(parsed.error.issues));
  return parsed.data;
}
