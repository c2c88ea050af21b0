/**
 * The contract between the kernel server (main thread) and the TypeScript tooling that compiles
 * cells and answers complete/inspect/is_complete. The tooling runs in its own worker thread
 * (kernel/lang/worker.ts) behind an async client (kernel/lang/client.ts), so the main thread only
 * routes and the TypeScript compiler's start-up never delays heartbeat or kernel_info.
 *
 * Positions are in Unicode code points (Jupyter protocol 5.2+), not UTF-16 units.
 */

export interface CellDiagnostic {
  readonly category: "error" | "warning";
  /** 1-based line and column in the cell's TypeScript source. */
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly message: string;
}

export interface CompiledCell {
  /**
   * JavaScript to evaluate with vm.Script.runInContext in the persistent context. Evaluating it
   * returns a Promise resolving to `{ value }` (value of the cell's last expression statement,
   * `undefined` when the cell ends in a declaration or `;`-terminated void expression?) or
   * `{ }` when there is no value to show. Top-level const/let/class/function/var become bindings
   * on the context's global object, so later cells see them and re-running a cell redeclares them.
   * `import x from "spec"` becomes `await globalThis.__kindling_import("spec")`; the exec side
   * resolves the specifier from the notebook's directory ("kindling" resolves to this package).
   */
  readonly js: string;
  /** Filename used for the vm.Script, so stack frames can be mapped back (e.g. "cell[3]"). */
  readonly filename: string;
  /** Type errors and warnings; with `strict` the kernel refuses to run a cell with errors. */
  readonly diagnostics: readonly CellDiagnostic[];
  /** A syntax error that prevents running the cell at all. */
  readonly syntaxError?: CellDiagnostic;
}

/** compileStaged's first answer: the cell's JavaScript before type-checking has finished. */
export interface EmittedCell {
  readonly js: string;
  readonly filename: string;
  readonly syntaxError?: CellDiagnostic;
}

/**
 * A cell compiled in two steps: `js`/`syntaxError` as soon as the rewrite is done, and the type
 * diagnostics later (`[]` when there is a syntax error), so the cell can run while the checker works.
 */
export interface StagedCompile extends EmittedCell {
  readonly diagnostics: Promise<readonly CellDiagnostic[]>;
}

export interface CompletionResult {
  readonly matches: readonly string[];
  readonly cursorStart: number;
  readonly cursorEnd: number;
  /** Jupyter's `_jupyter_types_experimental`: [{ start, end, text, type, signature }]. */
  readonly types: readonly { start: number; end: number; text: string; type: string; signature?: string }[];
}

export interface InspectResult {
  readonly found: boolean;
  /** MIME bundle: text/plain (and text/markdown) with signature + JSDoc. */
  readonly data: Readonly<Record<string, string>>;
}

export type IsCompleteResult =
  | { readonly status: "complete" }
  | { readonly status: "incomplete"; readonly indent: string }
  | { readonly status: "invalid" }
  | { readonly status: "unknown" };

export interface LanguageTools {
  /** Compiles a cell (execution count `n`) against every earlier committed cell's declarations. */
  compile(code: string, n: number): Promise<CompiledCell>;
  /** Like compile, but answers with the JavaScript before the type diagnostics (optional: additive). */
  compileStaged?(code: string, n: number): Promise<StagedCompile>;
  /** Records a cell that ran (even partially), so later cells and completions see its declarations. */
  commit(code: string, n: number): Promise<void>;
  complete(code: string, cursorPos: number): Promise<CompletionResult>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectResult>;
  isComplete(code: string): Promise<IsCompleteResult>;
  /** Rewrites "cell[3]:12:5"-style frames of a stack trace to the cell's TypeScript lines. */
  mapStack(stack: string): Promise<string>;
  /** Type errors as errors (refuse to run) instead of warnings. */
  setStrict(strict: boolean): void;
  close(): Promise<void>;
}
