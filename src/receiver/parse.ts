/**
 * Request parsing for the 2025-11-25 handlers: a handler is registered with a method-only schema
 * and parses its params itself with the SDK's schema, so that malformed params get -32602 with a
 * readable message instead of the SDK's -32603 (R94).
 */
import { z } from 'zod';
import { parseParams } from '../core/zodErrorText.js';

/** A request schema that only checks the method, so that the handler can report bad params itself. */
export function anyParams<M extends string>(method: M) {
  return z.looseObject({ method: z.literal(method), params: z.unknown().optional() });
}

/** Parses a request with its SDK schema; bad params throw {@link InvalidRequestParamsError} (-32602). */
export function parseRequest<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  return parseParams(schema, String((request as { method?: unknown }).method), request);
}
