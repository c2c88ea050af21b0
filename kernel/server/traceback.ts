/**
 * Builds a Jupyter traceback from a worker failure: the stack mapped back to the cell's TypeScript
 * lines by the language tools, without frames from the kernel's own machinery.
 */
import type { LanguageTools } from "../lang/api.js";
import type { CellFailure } from "../exec/worker-protocol.js";

const INTERNAL_FRAME = /\/kernel\/(exec|display|server)\/|node:internal\/|\(node:vm|at node:vm|at new Script|runInThisContext/;

export async function formatTraceback(failure: CellFailure, tools: LanguageTools): Promise<string[]> {
  let stack = failure.stack;
  try {
    stack = await tools.mapStack(stack);
  } catch {
    // keep the unmapped stack; a mapping failure must not hide the user's error
  }
  return stack.split("\n").filter((line) => !(/^\s+at /.test(line) && INTERNAL_FRAME.test(line)));
}
