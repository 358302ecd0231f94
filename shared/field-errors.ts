// Zod issues as the API's field errors, and the cap on how many one problem lists; zod types only.
import type * as z from 'zod/mini';
import type { FieldError } from './domain/application.ts';

/**
 * Zod issues as FieldErrors. An unknown field becomes one error on that field's own path, which is where a
 * form shows it. Path segments are escaped as in JSON Pointer so a key containing '/' cannot mislead.
 */
export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: toPointer([...issue.path, key]),
        message: 'This field is not allowed.',
      }));
    }
    return [{ field: toPointer(issue.path), message: issue.message }];
  });
}

function toPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

/** The most field errors one 400 lists: enough to fix a whole form, few enough that a hostile body stays cheap. */
export const MAX_FIELD_ERRORS = 20;

/**
 * The first `MAX_FIELD_ERRORS` field errors, in the order they were found, and how many were left out (a
 * problem carries that count so the caller knows the list is not the whole story).
 */
export function capFieldErrors(
  errors: readonly FieldError[],
  limit = MAX_FIELD_ERRORS,
): { errors: FieldError[]; omitted: number } {
  return { errors: errors.slice(0, limit), omitted: Math.max(0, errors.length - limit) };
}
