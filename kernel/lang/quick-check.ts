/**
 * Type-checks a new cell without building a new program. A changed file normally means a new
 * TypeScript program and a new type checker, which re-merges every global of lib + @types/node
 * (about 6 ms at best per cell, most of a new cell's round trip). Instead, the project keeps a
 * program whose current file imports every earlier cell's names (so every module specifier a
 * cell's import tail can use is resolved), and a new cell is parsed, bound and checked against
 * that program's checker as a stand-in for the current file.
 *
 * This relies on two TypeScript functions outside its public typings (`bindSourceFile` and the
 * checker's `getDiagnostics`, both present in the pinned 6.0); when they are missing, or the cell
 * could need something only a new program provides (its own imports or requires, `declare`
 * augmentations, `///` references, `@ts-` comment directives), it answers `undefined` and the
 * caller makes a new program as before. The test suite compares both paths cell by cell.
 */
import ts from "typescript";

export interface QuickCheckProject {
  readonly languageService: ts.LanguageService;
  readonly currentFile: string;
  /** Puts the "every earlier name" text in the current file; `generation` forces a new program. */
  setNeutralCurrent(generation: number): void;
  /** What the current file would hold for `code` (the code, then imports of the names it uses). */
  currentTextFor(code: string): string;
}

/** Checks against one checker before starting a fresh one (bounds what old stand-ins keep alive). */
const CHECKS_PER_PROGRAM = 100;
/** Text that only a new program can handle. */
const NEEDS_NEW_PROGRAM = /\bimport\b|\brequire\b|\bdeclare\b|\/\/\/|@ts-/;

interface InternalTs {
  bindSourceFile?: (file: ts.SourceFile, options: ts.CompilerOptions) => void;
}
interface InternalChecker {
  getDiagnostics?: (file: ts.SourceFile) => readonly ts.Diagnostic[];
}
interface BoundFile {
  path?: string;
  resolvedPath?: string;
  originalFileName?: string;
  packageJsonScope?: unknown;
  packageJsonLocations?: unknown;
  bindDiagnostics?: readonly ts.Diagnostic[];
}

export class QuickChecker {
  private generation = 0;
  private checksOnProgram = 0;
  private checks = 0;
  private warmed: ts.Program | undefined;

  constructor(private readonly project: QuickCheckProject) {}

  /**
   * Makes sure the program for the neutral current file exists and its checker has resolved the
   * common globals. Cheap when nothing changed; the language worker calls it when idle, so the
   * rebuild after a cell that declared names happens before the next cell arrives.
   */
  prepare(idle = true): ts.Program | undefined {
    // A fresh program costs a rebuild: start one when idle, or on a cell's path only far past the limit.
    if (this.checksOnProgram >= (idle ? CHECKS_PER_PROGRAM : 4 * CHECKS_PER_PROGRAM)) {
      this.generation++;
      this.checksOnProgram = 0;
    }
    this.project.setNeutralCurrent(this.generation);
    const program = this.project.languageService.getProgram();
    if (program === undefined) return undefined;
    if (this.warmed !== program) {
      this.warmed = program;
      this.checksOnProgram = 0;
      this.check(program, "const __kindling_warm: string = [1].map((x) => x + 1).join();\nconsole.log(__kindling_warm);");
    }
    return program;
  }

  /** Diagnostics of `code` as the current cell, or undefined when a new program is needed. */
  diagnostics(code: string): readonly ts.Diagnostic[] | undefined {
    if (NEEDS_NEW_PROGRAM.test(code)) return undefined;
    if (typeof (ts as InternalTs).bindSourceFile !== "function") return undefined;
    try {
      const program = this.prepare(false);
      return program === undefined ? undefined : this.check(program, code);
    } catch {
      return undefined; // whatever went wrong here, the ordinary path still answers
    }
  }

  private check(program: ts.Program, code: string): readonly ts.Diagnostic[] | undefined {
    const checker = program.getTypeChecker() as ts.TypeChecker & InternalChecker;
    const current = program.getSourceFile(this.project.currentFile) as (ts.SourceFile & BoundFile) | undefined;
    if (current === undefined || typeof checker.getDiagnostics !== "function") return undefined;
    const text = this.project.currentTextFor(code);
    // A name of its own: the checker files diagnostics by file name and drops one equal to a
    // diagnostic it already holds, so re-checking the same text under the same name would come back empty.
    const fileName = current.fileName.replace(/\.ts$/, `.${++this.checks}.ts`);
    const file = ts.createSourceFile(fileName, text, { languageVersion: current.languageVersion, impliedNodeFormat: current.impliedNodeFormat }, false, ts.ScriptKind.TS) as ts.SourceFile & BoundFile;
    if (file.statements.some((s) => ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined)) return undefined;
    // What the program records on its own files; the path makes module lookups use the current file's resolutions.
    file.path = current.path;
    file.resolvedPath = current.resolvedPath;
    file.originalFileName = current.originalFileName;
    file.packageJsonScope = current.packageJsonScope;
    file.packageJsonLocations = current.packageJsonLocations;
    const options = program.getCompilerOptions();
    (ts as InternalTs).bindSourceFile?.(file, options);
    this.checksOnProgram++;
    const found = [...(file.bindDiagnostics ?? []), ...checker.getDiagnostics(file)];
    return found.filter((d) => (d.file === file || d.file === undefined) && !isSkipped(d, options));
  }
}

/** As the program does: some diagnostics only apply when an option (e.g. emit) is on. */
function isSkipped(diagnostic: ts.Diagnostic, options: ts.CompilerOptions): boolean {
  const skippedOn = (diagnostic as { skippedOn?: keyof ts.CompilerOptions }).skippedOn;
  return skippedOn !== undefined && Boolean(options[skippedOn]);
}
