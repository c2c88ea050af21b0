/**
 * Errors raised while evaluating expressions.
 *
 * `UserError` is deterministic: the same input fails the same way on every attempt (a UDF that
 * throws, an invalid regex, a bad date pattern). The scheduler must not retry it; it reports the
 * message, which names the function or UDF and, when known, a sample row.
 */
export class UserError extends Error {
  override readonly name = "UserError";
  /** A short description of the row that failed, e.g. `{user_id: 7, amount: null}`. */
  readonly sampleRow: string | undefined;

  constructor(message: string, options?: { sampleRow?: string; cause?: unknown }) {
    super(options?.sampleRow ? `${message}\n  at row ${options.sampleRow}` : message, { cause: options?.cause });
    this.sampleRow = options?.sampleRow;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && e.name === "UserError";
}

/** A plan the compiler cannot evaluate (an expression kind an operator must handle, an unknown function). */
export class ExprCompileError extends Error {
  override readonly name = "ExprCompileError";
}
