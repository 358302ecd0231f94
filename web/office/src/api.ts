// Calls the API with the session's token and turns every refusal into one error the pages can show: a message on
// what to do next, and the problem's field errors keyed by the form field they belong to.
import type * as z from 'zod/mini';
import type { ActivePassConflict } from '../../../shared/search-schemas.ts';
import type { RuntimeConfig } from './config.ts';
import type { Session } from './session.ts';

/** What went wrong, in the terms a page needs to tell the user what to do next. */
export type FailureKind =
  | 'network'
  | 'login'
  | 'forbidden'
  | 'invalid'
  | 'not-found'
  | 'conflict'
  | 'busy'
  | 'server';

/** The records a 409 names as in the way (RFC 9457 extension members): the active pass, the other open group. */
export type InTheWay = Partial<Pick<z.infer<typeof ActivePassConflict>, 'activePass' | 'openGroup'>>;

export class ApiError extends Error {
  override name = 'ApiError';
  readonly kind: FailureKind;
  readonly status: number;
  /** The server's own sentence (problem+json `detail`), when it sent one. */
  readonly detail: string | undefined;
  /** Field errors by field path (`owner/cnic`), as the form names its inputs. */
  readonly fields: Readonly<Record<string, string>>;
  /** How many more field errors the server found than it listed (problem+json `moreErrors`). */
  readonly more: number;
  /** What a conflict names as in the way, so the page can say it in the reader's language. */
  readonly inTheWay: InTheWay;
  constructor(
    kind: FailureKind,
    status: number,
    detail: string | undefined,
    fields: Readonly<Record<string, string>>,
    more = 0,
    inTheWay: InTheWay = {},
  ) {
    super(detail ?? kind);
    this.kind = kind;
    this.status = status;
    this.detail = detail;
    this.fields = fields;
    this.more = more;
    this.inTheWay = inTheWay;
  }
}

/**
 * A field path as the forms name their inputs: the API writes `owner/cnic` (a JSON Pointer without its leading
 * slash); `/owner/cnic`, `owner.cnic` and `crossingPoints/0` are read the same way, the last as its list.
 */
export function fieldKey(pointer: string): string {
  return pointer
    .replace(/^\/+/, '')
    .replaceAll('.', '/')
    .replace(/\/\d+$/, '')
    .replaceAll('~1', '/')
    .replaceAll('~0', '~');
}

function kindOf(status: number): FailureKind {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 503 || status === 429) return 'busy';
  if (status >= 400 && status < 500) return 'invalid';
  return 'server';
}

/** Reads a problem+json (or API Gateway's `{message}`) body into an ApiError. */
export function problemError(status: number, body: unknown): ApiError {
  const problem = (body ?? {}) as {
    detail?: unknown;
    message?: unknown;
    errors?: unknown;
    moreErrors?: unknown;
    activePass?: unknown;
    openGroup?: unknown;
  };
  const fields: Record<string, string> = {};
  if (Array.isArray(problem.errors)) {
    for (const item of problem.errors as Array<Record<string, unknown>>) {
      const where = item.field ?? item.pointer;
      const what = item.message ?? item.detail;
      if (typeof where !== 'string' || typeof what !== 'string') continue;
      const key = fieldKey(where);
      // The first error on a field is the one to fix first; later ones often follow from it.
      if (!(key in fields)) fields[key] = what;
    }
  }
  const detail =
    typeof problem.detail === 'string'
      ? problem.detail
      : typeof problem.message === 'string'
        ? problem.message
        : undefined;
  const more = typeof problem.moreErrors === 'number' ? problem.moreErrors : 0;
  const inTheWay: InTheWay = {
    ...(typeof problem.activePass === 'string' ? { activePass: problem.activePass } : {}),
    ...(typeof problem.openGroup === 'string' ? { openGroup: problem.openGroup } : {}),
  };
  return new ApiError(kindOf(status), status, detail, fields, more, inTheWay);
}

export interface Api {
  json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** A binary, HTML or CSV answer (a QR image, a printable card, a report file), in the type asked for. */
  blob(path: string, accept?: string): Promise<Blob>;
}

/** Called when the server says the login is no longer good, so the app can return to the login page. */
export type OnLoginEnded = () => void;

export function apiFor(config: RuntimeConfig, session: Session, onLoginEnded: OnLoginEnded): Api {
  async function send(method: string, path: string, body?: unknown, accept?: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${config.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${session.token}`,
          ...(accept ? { accept } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError('network', 0, undefined, {});
    }
    if (!response.ok) {
      const error = problemError(response.status, await response.json().catch(() => ({})));
      if (error.kind === 'login') onLoginEnded();
      throw error;
    }
    return response;
  }
  return {
    async json<T>(method: string, path: string, body?: unknown) {
      const response = await send(method, path, body);
      return (await response.json()) as T;
    },
    async blob(path: string, accept?: string) {
      return (await send('GET', path, undefined, accept)).blob();
    },
  };
}
