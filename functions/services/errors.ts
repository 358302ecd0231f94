// The refusals a workflow raises, in domain terms; the HTTP layer maps each kind to a problem in one place.
import type { FieldError } from '../../shared/domain/application.ts';

export type DomainErrorKind = 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'busy';

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly errors: readonly FieldError[] | undefined;
  /** RFC 9457 extension members that name the record in the way (e.g. `activePass`); never a CNIC. */
  readonly extensions: Readonly<Record<string, string>> | undefined;

  constructor(
    kind: DomainErrorKind,
    message: string,
    errors?: readonly FieldError[],
    extensions?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.kind = kind;
    this.errors = errors;
    this.extensions = extensions;
  }
}

/** The input breaks a rule; `errors` name the fields. */
export class Invalid extends DomainError {
  override name = 'Invalid';
  constructor(message: string, errors?: readonly FieldError[]) {
    super('invalid', message, errors);
  }
}

/** No such record, or none this caller may know of (the two answer alike, so neither is an oracle). */
export class NotFound extends DomainError {
  override name = 'NotFound';
  constructor(message: string) {
    super('not-found', message);
  }
}

/** The caller may not do this to this record (e.g. an applicant applying for another CNIC). */
export class Forbidden extends DomainError {
  override name = 'Forbidden';
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** The decision needs an FIA supervisor: a watchlist hit. */
export class NeedsSupervisor extends Forbidden {
  override name = 'NeedsSupervisor';
}

/** The record is not in a state that allows this (already decided, pass type ended, …). */
export class Conflict extends DomainError {
  override name = 'Conflict';
  constructor(message: string, extensions?: Readonly<Record<string, string>>) {
    super('conflict', message, undefined, extensions);
  }
}

/** Lost every retry to concurrent writers: worth repeating in a moment. */
export class Busy extends DomainError {
  override name = 'Busy';
  constructor(message: string) {
    super('busy', message);
  }
}
