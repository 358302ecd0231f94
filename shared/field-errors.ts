// Zod issues turned into the API's field errors; types only from zod, so it costs nothing to load.
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
