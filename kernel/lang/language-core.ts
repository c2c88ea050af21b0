/**
 * Everything the language worker answers, as plain synchronous methods (so tests can call them
 * without a thread). The notebook project (and with it the TypeScript program over lib and
 * @types/node, seconds to build cold) is created on first need or by warmUp().
 */
import type { CellDiagnostic, CompiledCell, EmittedCell, CompletionResult, InspectResult, IsCompleteResult } from "./api.js";
import { cellFilename, compileCell, type CellPositionMap, type CompiledScript } from "./cell-compiler.js";
import { completeAt } from "./completion.js";
import { findEarlyError } from "./early-errors.js";
import { checkCell } from "./diagnostics.js";
import { inspectAt } from "./inspect.js";
import { isCompleteCode } from "./is-complete.js";
import { NotebookProject } from "./project.js";
import { mapStackFrames } from "./stack-map.js";

/** Position maps kept for stack traces of cells that may still throw later (timers, promises). */
const KEPT_POSITION_MAPS = 500;
/** Compiled cells kept by source text, for re-runs. */
const KEPT_COMPILED_CELLS = 64;

export class LanguageCore {
  private notebook: NotebookProject | undefined;
  private strict = false;
  private readonly positionMaps = new Map<string, CellPositionMap>();
  private readonly compiledBySource = new Map<string, CompiledScript>();
  /** The cell emit() returned JavaScript for, waiting for checkEmitted(). */
  private toCheck: { code: string; compiled: CompiledScript } | undefined;

  constructor(private readonly cwd: string) {}

  private get project(): NotebookProject {
    this.notebook ??= new NotebookProject(this.cwd);
    return this.notebook;
  }

  /**
   * Builds the program and touches the checker path (step 0) and the completion path (step 1)
   * once, before a user waits on them. Separate steps so a request can be answered in between.
   */
  warmUp(step: 0 | 1 | "all" = "all"): void {
    const project = this.project;
    if (step === 0 || step === "all") {
      checkCell(project, "const __kindling_warm: string = [1].map((x) => x + 1).join();\nconsole.log(__kindling_warm);", false);
    }
    if (step === 1 || step === "all") completeAt(project, "console.lo", 10);
  }

  compile(code: string, n: number): CompiledCell {
    const emitted = this.emit(code, n);
    if (emitted.syntaxError !== undefined) return { ...emitted, diagnostics: [] };
    return { ...emitted, diagnostics: this.checkEmitted() };
  }

  /**
   * First half of compile: the JavaScript to run, or the syntax error, without type-checking, so
   * the kernel can run the cell while checkEmitted() works. A syntax error's TypeScript wording
   * needs the checker, so that (rare) path checks here and checkEmitted() then returns [].
   */
  emit(code: string, n: number): EmittedCell {
    this.toCheck = undefined;
    const reused = this.reuseCompiled(code, n);
    if (reused !== undefined) {
      this.keepPositions(reused);
      this.toCheck = { code, compiled: reused };
      return { js: reused.js, filename: reused.filename };
    }
    let compiled = compileCell(code, n);
    let earlyError = compiled.syntaxError === undefined ? findEarlyError(compiled.js, compiled.filename, compiled.positions) : undefined;
    if (earlyError !== undefined && compiled.plainJavaScript) {
      // The cell's text went to V8 as is and V8 refused it: maybe TypeScript-only syntax the
      // plain-JavaScript detector missed. The transpiler's output gets the last word.
      compiled = compileCell(code, n, { alwaysTranspile: true });
      earlyError = compiled.syntaxError === undefined ? findEarlyError(compiled.js, compiled.filename, compiled.positions) : undefined;
    }
    this.keepPositions(compiled);
    if (compiled.syntaxError !== undefined) {
      return { js: "", filename: compiled.filename, syntaxError: compiled.syntaxError };
    }
    if (earlyError !== undefined) {
      // TypeScript's own wording for the same spot, when it has one, names the fix better.
      const diagnostics = this.check(code, compiled);
      const typescript = diagnostics.find((d) => d.line === earlyError.line && d.code >= 1000 && d.code < 2000);
      const syntaxError = typescript === undefined ? earlyError : { ...typescript, category: "error" as const };
      return { js: "", filename: compiled.filename, syntaxError };
    }
    this.rememberCompiled(code, compiled);
    this.toCheck = { code, compiled };
    return { js: compiled.js, filename: compiled.filename };
  }

  /**
   * The JavaScript of a cell depends only on its text (the compile is pure; its filename only
   * names the execution count), so a re-run cell skips the compile and V8's syntax check.
   */
  private reuseCompiled(code: string, n: number): CompiledScript | undefined {
    const cached = this.compiledBySource.get(code);
    if (cached === undefined) return undefined;
    this.compiledBySource.delete(code); // re-insert: most recently used last
    this.compiledBySource.set(code, cached);
    return { ...cached, filename: cellFilename(n) };
  }

  /** Only cells that compiled and passed V8's syntax check; bounded, oldest out first. */
  private rememberCompiled(code: string, compiled: CompiledScript): void {
    this.compiledBySource.set(code, compiled);
    if (this.compiledBySource.size > KEPT_COMPILED_CELLS) {
      const oldest = this.compiledBySource.keys().next().value;
      if (oldest !== undefined) this.compiledBySource.delete(oldest);
    }
  }

  private keepPositions(compiled: CompiledScript): void {
    this.positionMaps.delete(compiled.filename);
    this.positionMaps.set(compiled.filename, compiled.positions);
    if (this.positionMaps.size > KEPT_POSITION_MAPS) {
      const oldest = this.positionMaps.keys().next().value;
      if (oldest !== undefined) this.positionMaps.delete(oldest);
    }
  }

  /** Second half of compile: the type diagnostics of the cell last passed to emit() (once). */
  checkEmitted(): CellDiagnostic[] {
    const pending = this.toCheck;
    this.toCheck = undefined;
    return pending === undefined ? [] : this.check(pending.code, pending.compiled);
  }

  /** A crash inside the checker must not stop the cell from running: it then runs unchecked. */
  private check(code: string, compiled: CompiledScript): CellDiagnostic[] {
    try {
      return checkCell(this.project, code, this.strict, compiled.objectLiteral);
    } catch (error) {
      const message = `Kindling could not type-check this cell (${error instanceof Error ? error.message : String(error)}); it runs unchecked.`;
      return [{ category: "warning", line: 1, column: 1, code: 0, message }];
    }
  }

  commit(code: string): void {
    this.project.commit(code);
  }

  /** Idle-time work after any request: the program the next cell's quick type check needs. */
  prepareForNextCell(): void {
    this.notebook?.prepareForNextCell();
  }

  complete(code: string, cursorPos: number): CompletionResult {
    return completeAt(this.project, code, cursorPos);
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): InspectResult {
    return inspectAt(this.project, code, cursorPos, detailLevel);
  }

  isComplete(code: string): IsCompleteResult {
    return isCompleteCode(code);
  }

  mapStack(stack: string): string {
    return mapStackFrames(stack, (filename) => this.positionMaps.get(filename));
  }

  setStrict(strict: boolean): void {
    this.strict = strict;
  }
}
