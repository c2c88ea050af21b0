/** Type errors of the current cell, positioned in the cell (1-based line, code-point column). */
import ts from "typescript";
import type { CellDiagnostic } from "./api.js";
import { lineStarts, lineOf, toCellPosition } from "./positions.js";
import type { NotebookProject } from "./project.js";

/**
 * Diagnostics our rewrite makes moot: top-level await and `for await` are valid in a cell
 * because the cell runs inside an async function.
 */
const MOOT = new Set([1375, 1378, 1431, 1432, 2823]);

/**
 * `objectLiteral`: the compiler read the cell as `({ ... })` (see cell-compiler.ts); check that
 * reading too, and move positions after the inserted "(" back by one.
 */
export function checkCell(
  project: NotebookProject,
  code: string,
  strict: boolean,
  objectLiteral?: { readonly source: string; readonly openParenAt: number },
): CellDiagnostic[] {
  const checked = objectLiteral?.source ?? code;
  const found = project.diagnosticsOf(checked);
  const starts = lineStarts(code);
  const result: CellDiagnostic[] = [];
  for (const diagnostic of found) {
    if (MOOT.has(diagnostic.code)) continue;
    const checkedStart = diagnostic.start ?? 0;
    // Generated tail (imports of earlier cells' names): never the user's mistake.
    if (checkedStart > checked.length) continue;
    const start = objectLiteral !== undefined && checkedStart > objectLiteral.openParenAt ? Math.min(checkedStart - 1, code.length) : checkedStart;
    if (diagnostic.category !== ts.DiagnosticCategory.Error && diagnostic.category !== ts.DiagnosticCategory.Warning) continue;
    const line = lineOf(starts, start);
    const position = toCellPosition(code, starts, line, start - starts[line]!);
    result.push({
      category: strict && diagnostic.category === ts.DiagnosticCategory.Error ? "error" : "warning",
      line: position.line,
      column: position.column,
      code: diagnostic.code,
      message: explain(project, diagnostic.code, ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")),
    });
  }
  return result;
}

/** TypeScript's words for what our virtual project does behind the scenes, said in notebook terms. */
function explain(project: NotebookProject, code: number, message: string): string {
  const name = /'([^']+)'/.exec(message)?.[1];
  if (code === 2632 && name !== undefined && project.declaredEarlier(name)) {
    return `Cannot assign to '${name}': an earlier cell declared it with const, function or class. Declare it with let there, or declare it again here (const ${name} = ...).`;
  }
  if (code === 2307 && name !== undefined) {
    if (name.startsWith("node:")) return `${message} Node's type definitions were not found: npm install -D @types/node in the notebook's directory.`;
    return name.startsWith(".") || name.startsWith("/")
      ? `${message} Relative imports start from the notebook's directory.`
      : `${message} Install it in the notebook's directory: npm install ${packageName(name)}`;
  }
  if (code === 7016 && name !== undefined && !name.startsWith(".")) {
    return `${message} Its types may come separately: npm install -D @types/${packageName(name).replace(/^@([^/]+)\//, "$1__")}`;
  }
  return message;
}

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}
