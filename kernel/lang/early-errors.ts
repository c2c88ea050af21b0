/**
 * Some code TypeScript only flags as a type error is a syntax error to V8 (`await` in a function
 * that is not async, `with` or octal literals in strict mode). Compiling the script here, without
 * running it, turns those into a syntax error at the cell's line and column instead of a
 * runtime SyntaxError that points into the compiled JavaScript.
 */
import vm from "node:vm";
import type { CellDiagnostic } from "./api.js";
import type { CellPositionMap } from "./cell-compiler.js";

export function findEarlyError(js: string, filename: string, positions: CellPositionMap): CellDiagnostic | undefined {
  try {
    new vm.Script(js, { filename });
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return undefined;
    // V8's stack for a compile error: "cell[3]:2", the source line, then carets under the culprit.
    const [where = "", , carets = ""] = (error.stack ?? "").split("\n");
    const line = Number(/:(\d+)$/.exec(where)?.[1] ?? "1");
    const caret = carets.indexOf("^");
    const position = positions.toCell(line, caret >= 0 ? caret + 1 : 1) ?? { line: 1, column: 1 };
    return { category: "error", line: position.line, column: position.column, code: 0, message: error.message };
  }
}
