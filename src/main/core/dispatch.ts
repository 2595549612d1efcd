import { ZodError } from 'zod';
import { channels, ERROR_CODES, isChannelName, MAX_INPUT_BYTES, type Result } from '../../shared/contract';
import { AppError } from './errors';
import type { Handlers } from './handlers';
import { log } from './log';

function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/**
 * The single gate between an untrusted caller (renderer over IPC, browser over HTTP) and the
 * core: unknown channels, oversized or malformed input become error envelopes, never crashes.
 */
export async function dispatch(handlers: Handlers, channelName: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channelName)) {
    return { ok: false, error: { code: ERROR_CODES.unknownChannel, message: `"${String(channelName).slice(0, 80)}" is not a VitalSync channel.` } };
  }
  let size: number;
  try {
    size = JSON.stringify(rawInput ?? {}).length;
  } catch {
    return { ok: false, error: { code: ERROR_CODES.invalidInput, message: `The input to ${channelName} is not plain data.` } };
  }
  if (size > MAX_INPUT_BYTES) {
    return {
      ok: false,
      error: { code: ERROR_CODES.payloadTooLarge, message: `The input to ${channelName} is ${size} bytes; the limit is ${MAX_INPUT_BYTES}.` },
    };
  }
  const def = channels[channelName];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: ERROR_CODES.invalidInput, message: `Invalid input to ${channelName}: ${describeZodError(parsed.error)}` } };
  }
  try {
    const handler = handlers[channelName] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message } };
    log.error(`${channelName} failed`, err);
    return { ok: false, error: { code: ERROR_CODES.internal, message: `VitalSync hit an unexpected error in ${channelName}. Details are in the log.` } };
  }
}
