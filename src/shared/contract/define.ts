import { z } from 'zod';

/** One request/response channel: the zod schema of its input and of its output. */
export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for humans: what calling it does. */
  summary: string;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, output: O): ChannelDef<I, O> {
  return { summary, input, output };
}

/** Error codes every front door may see. Domains add their own (strings in SCREAMING_CASE). */
export const ERROR_CODES = {
  invalidInput: 'INVALID_INPUT',
  unknownChannel: 'UNKNOWN_CHANNEL',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  forbidden: 'FORBIDDEN',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  unavailable: 'UNAVAILABLE',
  internal: 'INTERNAL',
} as const;

export const AppErrorSchema = z.object({ code: z.string(), message: z.string() });
export type AppErrorShape = z.infer<typeof AppErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

/** Inputs larger than this (as JSON) are refused before parsing. */
export const MAX_INPUT_BYTES = 256 * 1024;
