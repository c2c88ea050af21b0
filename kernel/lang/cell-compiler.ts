/**
 * TypeScript cell -> JavaScript script for the kernel's persistent vm context (pure: no project,
 * no type checking). Steps: erase types with the TypeScript transpiler (source map on) unless the
 * cell is plain JavaScript already (plain-js.ts: then its text is used as is, with an identity
 * map), rewrite the JavaScript's top level (js-rewrite.ts), and keep a position map so runtime
 * stack frames in `cell[N]` point back at the cell's own TypeScript line and column.
 */
import ts from "typescript";
import type { CellDiagnostic } from "./api.js";
import { cellFilename } from "./cell-name.js";
import { rewriteEmittedJs, type RewrittenScript } from "./js-rewrite.js";
import { isPlainJavaScript, parseCellSource, parseErrorsOf } from "./plain-js.js";
import { lineOf, lineStarts, offsetToCellPosition, toCellPosition, type CellPosition } from "./positions.js";
import { SourceMapLookup } from "./source-map.js";

export interface CompiledScript {
  readonly js: string;
  readonly filename: string;
  readonly syntaxError?: CellDiagnostic;
  readonly positions: CellPositionMap;
  /** When the cell was read as an object literal: where "(" was inserted (the checker must see the same reading). */
  readonly objectLiteral?: { readonly source: string; readonly openParenAt: number };
  /** The cell's own text was used as its JavaScript (no transpiler); see CompileOptions.alwaysTranspile. */
  readonly plainJavaScript: boolean;
}

export interface CompileOptions {
  /**
   * Skip the plain-JavaScript path. A caller whose V8 check rejects a plain-path script compiles
   * again with this, so a TypeScript-only form the detector missed still runs (transpiled).
   */
  readonly alwaysTranspile?: boolean;
}

const TRANSPILE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  // Keep every value import even if this cell does not use it: later cells may.
  verbatimModuleSyntax: true,
  useDefineForClassFields: true,
  sourceMap: true,
  experimentalDecorators: false,
};

export { cellFilename };

/** The JavaScript of a cell before the top-level rewrite, and how to map it back. */
interface EmittedJs {
  readonly js: string;
  readonly sourceMap: SourceMapLookup | undefined;
  readonly firstError?: ts.Diagnostic;
  /** Set on the plain-JavaScript path: the parsed cell, reused by the rewrite. */
  readonly parsed?: ts.SourceFile;
}

export function compileCell(code: string, n: number, options: CompileOptions = {}): CompiledScript {
  const filename = cellFilename(n);
  const objectLiteral = asObjectLiteral(code);
  const source = objectLiteral?.source ?? code;
  const output = (options.alwaysTranspile ? undefined : asPlainJavaScript(source)) ?? transpiled(source);
  const firstError = output.firstError;
  if (firstError !== undefined) {
    const offset = Math.min(firstError.start ?? 0, code.length);
    const { line, column } = offsetToCellPosition(code, offset);
    const message = ts.flattenDiagnosticMessageText(firstError.messageText, "\n");
    return {
      js: "",
      filename,
      syntaxError: { category: "error", line, column, code: firstError.code, message },
      positions: new CellPositionMap(code, undefined, "", undefined, undefined),
      plainJavaScript: false,
    };
  }
  const emitted = output.js;
  let rewritten: RewrittenScript;
  try {
    rewritten = rewriteEmittedJs(emitted, output.parsed);
  } catch (error) {
    // A bug of ours, not the user's: say so rather than run something half-rewritten.
    const message = `Kindling could not compile this cell (${error instanceof Error ? error.message : String(error)}). Please report it with the cell's code.`;
    return {
      js: "",
      filename,
      syntaxError: { category: "error", line: 1, column: 1, code: 0, message },
      positions: new CellPositionMap(code, undefined, "", undefined, undefined),
      plainJavaScript: false,
    };
  }
  return {
    js: rewritten.script,
    filename,
    positions: new CellPositionMap(code, rewritten, emitted, output.sourceMap, objectLiteral?.openParenAt),
    ...(objectLiteral === undefined ? {} : { objectLiteral }),
    plainJavaScript: output.parsed !== undefined,
  };
}

/** The cell's text is its JavaScript: no transpiler, lines and columns map to themselves. */
function asPlainJavaScript(source: string): EmittedJs | undefined {
  // V8 also ends lines at \r, U+2028 and U+2029 where our line tables only count \n: leave such
  // cells to the transpiler, whose output and source map already handle them.
  if (/[\r\u2028\u2029]/.test(source)) return undefined;
  const parsed = parseCellSource(source, TRANSPILE_OPTIONS.target ?? ts.ScriptTarget.ES2022);
  if (!isPlainJavaScript(parsed)) return undefined;
  return { js: source, sourceMap: SourceMapLookup.identity(source), parsed };
}

function transpiled(source: string): EmittedJs {
  const output = transpile(source);
  const firstError = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  return {
    js: stripSourceMapComment(output.outputText),
    sourceMap: output.sourceMapText === undefined ? undefined : SourceMapLookup.fromJson(output.sourceMapText),
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/**
 * ts.transpileModule builds a program and a type checker per call (~1 ms even for `1 + 1`), and
 * its output depends only on the source text, so re-run cells reuse it. Bounded: oldest out first.
 */
const TRANSPILE_CACHE_ENTRIES = 64;
const transpileCache = new Map<string, ts.TranspileOutput>();

function transpile(source: string): ts.TranspileOutput {
  const cached = transpileCache.get(source);
  if (cached !== undefined) {
    transpileCache.delete(source); // re-insert: most recently used last
    transpileCache.set(source, cached);
    return cached;
  }
  const output = ts.transpileModule(source, { compilerOptions: TRANSPILE_OPTIONS, reportDiagnostics: true, fileName: "cell.ts" });
  transpileCache.set(source, output);
  if (transpileCache.size > TRANSPILE_CACHE_ENTRIES) {
    const oldest = transpileCache.keys().next().value;
    if (oldest !== undefined) transpileCache.delete(oldest);
  }
  return output;
}

/**
 * `{ a: 1 }` alone is a block with a label to JavaScript; a notebook user means an object (the
 * Node REPL makes the same choice). Wrap in parentheses when that still parses.
 */
function asObjectLiteral(code: string): { source: string; openParenAt: number } | undefined {
  const trimmed = code.trim();
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return undefined;
  const openParenAt = code.indexOf("{");
  const closeAt = code.lastIndexOf("}") + 1;
  const source = `${code.slice(0, openParenAt)}(${code.slice(openParenAt, closeAt)})${code.slice(closeAt)}`;
  // The parser's errors are what the transpiler would report; parsing alone skips its checker.
  const parseErrors = parseErrorsOf(parseCellSource(source, TRANSPILE_OPTIONS.target ?? ts.ScriptTarget.ES2022));
  const errors = parseErrors ?? ts.transpileModule(source, { compilerOptions: TRANSPILE_OPTIONS, reportDiagnostics: true, fileName: "cell.ts" }).diagnostics;
  return errors?.length ? undefined : { source, openParenAt };
}

function stripSourceMapComment(js: string): string {
  return js.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n");
}

/** Maps a position in the compiled script (as V8 reports it in a stack frame) to the cell. */
export class CellPositionMap {
  private readonly cellStarts: number[];
  private readonly editedStarts: number[];
  private readonly emittedStarts: number[];

  constructor(
    private readonly code: string,
    private readonly rewritten: RewrittenScript | undefined,
    emitted: string,
    private readonly sourceMap: SourceMapLookup | undefined,
    /** Where asObjectLiteral inserted "(", shifting the rest of that line by one. */
    private readonly openParenAt: number | undefined,
  ) {
    this.cellStarts = lineStarts(code);
    this.editedStarts = lineStarts(rewritten?.edited.text ?? "");
    this.emittedStarts = lineStarts(emitted);
  }

  /** Cell position for a 1-based line and column of the compiled script; undefined if outside the cell. */
  toCell(line: number, column: number): CellPosition | undefined {
    if (this.rewritten === undefined || this.sourceMap === undefined) return undefined;
    const line0 = line - 1;
    let column0 = column - 1;
    if (line0 === 0) column0 = Math.max(0, column0 - this.rewritten.prefixLength);
    if (line0 >= this.editedStarts.length) return undefined;
    const editedOffset = this.editedStarts[line0]! + column0;
    const emittedOffset = this.rewritten.edited.toOriginal(editedOffset);
    const emittedLine = lineOf(this.emittedStarts, emittedOffset);
    const original = this.sourceMap.originalPosition(emittedLine, emittedOffset - this.emittedStarts[emittedLine]!);
    if (original === undefined) return undefined;
    let originalColumn = original.column;
    if (this.openParenAt !== undefined) {
      const parenLine = lineOf(this.cellStarts, this.openParenAt);
      const parenColumn = this.openParenAt - this.cellStarts[parenLine]!;
      if (original.line === parenLine && originalColumn > parenColumn) originalColumn--;
    }
    const cellLine = Math.min(original.line, this.cellStarts.length - 1);
    return toCellPosition(this.code, this.cellStarts, cellLine, originalColumn);
  }
}
