/** A zod validation error as one readable line (for -32602 messages). */
import { z } from 'zod';

/** A zod error as one readable line. */
export function zodErrorText(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\n\s*/g, ' ');
}
