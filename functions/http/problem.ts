// RFC 9457 problems: the refusals routes raise, the one mapping from domain errors, and their rendering.
import type { FieldError } from '../../shared/domain/application.ts';
import { capFieldErrors } from '../../shared/field-errors.ts';
import { DomainError } from '../services/errors.ts';
import type { HttpResult } from './event.ts';

export const MAX_BODY_BYTES = 64 * 1024;

/** A refusal with an RFC 9457 problem body. Raised anywhere below a route; rendered in one place. */
export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: readonly FieldError[] | undefined;
  /** Extension members (RFC 9457 §3.2) naming the record in the way, such as `activePass`. */
  readonly extensions: Readonly<Record<string, string>> | undefined;

  constructor(
    status: number,
    slug: string,
    title: string,
    detail: string,
    errors?: readonly FieldError[],
    extensions?: Readonly<Record<string, string>>,
  ) {
    super(detail);
    this.status = status;
    this.type = `urn:rahdari:problem:${slug}`;
    this.title = title;
    this.errors = errors;
    this.extensions = extensions;
  }
}

export const problems = {
  invalid: (detail: string, errors?: readonly FieldError[]) =>
    new Problem(400, 'invalid-request', 'Invalid request', detail, errors),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new Problem(401, 'unauthorized', 'Unauthorized', detail),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail),
  notFound: (detail: string) => new Problem(404, 'not-found', 'Not found', detail),
  conflict: (detail: string, extensions?: Readonly<Record<string, string>>) =>
    new Problem(409, 'conflict', 'Conflict', detail, undefined, extensions),
  /** Lost every retry to concurrent writers: nothing is wrong with the request, so it is worth repeating. */
  busy: (detail: string) => new Problem(503, 'busy', 'Busy', detail),
  unavailable: (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail),
  tooLarge: (limit = MAX_BODY_BYTES) =>
    new Problem(413, 'too-large', 'Payload too large', `The body must be at most ${limit} bytes.`),
  unsupported: () =>
    new Problem(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      'Send the body as application/json.',
    ),
  internal: (detail = 'The request could not be completed; it may be retried.') =>
    new Problem(500, 'internal', 'Internal error', detail),
};

/** The problem a domain error stands for; undefined for anything else (a fault, answered 500). */
export function problemOf(error: unknown): Problem | undefined {
  if (error instanceof Problem) return error;
  if (!(error instanceof DomainError)) return undefined;
  switch (error.kind) {
    case 'invalid':
      return problems.invalid(error.message, error.errors);
    case 'not-found':
      return problems.notFound(error.message);
    case 'forbidden':
      return problems.forbidden(error.message);
    case 'conflict':
      return problems.conflict(error.message, error.extensions);
    case 'busy':
      return problems.busy(error.message);
  }
}

export function problemResponse(problem: Problem, instance?: string): HttpResult {
  const listed = problem.errors ? capFieldErrors(problem.errors) : undefined;
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      ...problem.extensions,
      type: problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.message,
      ...(instance ? { instance } : {}),
      ...(listed ? { errors: listed.errors } : {}),
      ...(listed && listed.omitted > 0 ? { moreErrors: listed.omitted } : {}),
    }),
  };
}
