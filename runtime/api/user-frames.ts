/**
 * Analysis errors are raised deep inside the analyzer, but the line that matters is the user's
 * call (`df.select("usr_id")` in cell 3). We re-anchor their stack at the public method the user
 * called, so the first frame of the traceback, which the kernel maps to a cell line, is theirs.
 */
import { SqlParseError } from "../expr/parse-sql.js";
import { AnalysisError } from "../logical/errors.js";
import { UdfDefinitionError } from "./udf.js";

function isUserFacing(error: unknown): error is Error {
  return error instanceof AnalysisError || error instanceof UdfDefinitionError || error instanceof SqlParseError;
}

/** Wraps every synchronous public method of `proto` so user-facing errors start at the caller's frame. */
export function anchorErrorsAtCaller(proto: object): void {
  for (const name of Object.getOwnPropertyNames(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    const original: unknown = descriptor?.value;
    if (name === "constructor" || typeof original !== "function" || original.constructor.name === "AsyncFunction") continue;
    const method = original as (...args: unknown[]) => unknown;
    const anchored = function (this: unknown, ...args: unknown[]): unknown {
      try {
        return method.apply(this, args);
      } catch (error) {
        if (isUserFacing(error)) Error.captureStackTrace(error, anchored);
        throw error;
      }
    };
    Object.defineProperty(anchored, "name", { value: name });
    Object.defineProperty(proto, name, { ...descriptor, value: anchored });
  }
}
