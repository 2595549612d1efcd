import { ERROR_CODES } from '../../shared/contract';

/**
 * An error a person may read. `message` says what happened and what to do about it; it never
 * holds tokens or health values. Anything thrown that is not an AppError reaches the user as a
 * generic INTERNAL error (its details go to the log only).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidInput = (message: string) => new AppError(ERROR_CODES.invalidInput, message);
export const notFound = (message: string) => new AppError(ERROR_CODES.notFound, message);
