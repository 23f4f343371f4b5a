/** Checking input with a zod schema: its error as one readable line, and -32602 for a mismatch. */
import { z } from 'zod';
import { InvalidRequestParamsError } from './errors.js';

/** A zod error as one readable line. */
export function zodErrorText(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\n\s*/g, ' ');
}

/** Parses `value` with `schema`; a mismatch is {@link InvalidRequestParamsError} (-32602) for `method`, its text after `prefix`. */
export function parseParams<S extends z.ZodType>(schema: S, method: string, value: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidRequestParamsError(method, `${prefix}${zodErrorText(parsed.error)}`);
  return parsed.data;
}
