/**
 * The checker's view of the notebook: a TypeScript language service over virtual files in the
 * notebook's directory (so relative imports and node_modules resolve as they do at run time):
 *
 *   __kindling_globals.d.ts   display/input/clear_output (globals.ts)
 *   __kindling_prelude.d.ts   `declare let x: typeof import("./__kindling_cell_3")["x"]` for let/var
 *   __kindling_cell_N.ts      each committed cell as a module exporting its declarations
 *   __kindling_current.ts     the cell being compiled or completed, followed (after its last line,
 *                             so positions do not move) by imports of earlier cells' names
 *
 * One language service lives for the whole session; a compile only bumps the current file's
 * version, so the program is rebuilt incrementally and only that file is checked again.
 */
import { join } from "node:path";
import ts from "typescript";
import { declaredNames, exportingModuleText, parseCell, type BindingKind } from "./cell-declarations.js";
import { GLOBALS_DTS } from "./globals.js";
import { findKindlingRoot, projectOptions } from "./project-options.js";
import { QuickChecker } from "./quick-check.js";

interface VirtualFile {
  text: string;
  version: number;
  snapshot: ts.IScriptSnapshot;
}

interface Binding {
  /** Module specifier of the defining cell, relative to the notebook directory. */
  readonly module: string;
  readonly kind: BindingKind;
}

/** Prefix of every generated file and name; hidden from completions. */
export const INTERNAL_PREFIX = "__kindling";

export class NotebookProject {
  readonly currentFile: string;
  private readonly globalsFile: string;
  private readonly preludeFile: string;
  private readonly files = new Map<string, VirtualFile>();
  private readonly diskSnapshots = new Map<string, ts.IScriptSnapshot | undefined>();
  private readonly bindings = new Map<string, Binding>();
  private readonly service: ts.LanguageService;
  private readonly quick: QuickChecker = new QuickChecker(this);
  private committed = 0;
  /** Length of the user's code at the start of the current file (the rest is generated). */
  private currentCodeLength = 0;

  constructor(private readonly cwd: string) {
    this.globalsFile = join(cwd, `${INTERNAL_PREFIX}_globals.d.ts`);
    this.preludeFile = join(cwd, `${INTERNAL_PREFIX}_prelude.d.ts`);
    this.currentFile = join(cwd, `${INTERNAL_PREFIX}_current.ts`);
    this.write(this.globalsFile, GLOBALS_DTS);
    this.write(this.preludeFile, "");
    this.write(this.currentFile, "export {};\n");
    const options = projectOptions(cwd, findKindlingRoot());
    // getModuleResolutionCache is read by the language service but missing from its public host type.
    const host: ts.LanguageServiceHost & { getModuleResolutionCache?(): ts.ModuleResolutionCache } = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [this.globalsFile, this.preludeFile, this.currentFile],
      getScriptVersion: (name) => String(this.files.get(name)?.version ?? 0),
      getScriptSnapshot: (name) => this.files.get(name)?.snapshot ?? this.diskSnapshot(name),
      getCurrentDirectory: () => cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (name) => this.files.has(name) || ts.sys.fileExists(name),
      readFile: (name) => this.files.get(name)?.text ?? ts.sys.readFile(name),
      readDirectory: (...args) => ts.sys.readDirectory(...args),
      directoryExists: (name) => ts.sys.directoryExists(name),
      getDirectories: (name) => ts.sys.getDirectories(name),
      realpath: (name) => (this.files.has(name) ? name : (ts.sys.realpath?.(name) ?? name)),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    // Every cell makes a new program; without a cache shared across programs TypeScript re-reads
    // and re-parses the package.json above every library file each time (about half of a new
    // cell's check). With one, only the current cell's imports are looked up again.
    const resolutionCache = ts.createModuleResolutionCache(cwd, (name) => (ts.sys.useCaseSensitiveFileNames ? name : name.toLowerCase()), options);
    host.getModuleResolutionCache = () => resolutionCache;
    host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
      literals.map((literal) => {
        const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
        const resolve = (): ts.ResolvedModuleWithFailedLookupLocations =>
          ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, resolutionCache, redirected, mode);
        const resolved = resolve();
        if (resolved.resolvedModule !== undefined) return resolved;
        // Not found may be stale (the user ran npm install since): forget what was cached and look again.
        resolutionCache.clear();
        return resolve();
      });
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  get languageService(): ts.LanguageService {
    return this.service;
  }

  /**
   * Puts `code` in the current file; returns its length (offsets past it are generated text).
   * `only: "used"` imports just the earlier names the cell mentions (a type check touches no
   * others, and fewer imports keep a check fast in a long notebook); completion needs them all.
   */
  setCurrent(code: string, only: "used" | "all" = "all"): number {
    this.currentCodeLength = code.length;
    this.write(this.currentFile, this.currentTextFor(code, only));
    return code.length;
  }

  /** What setCurrent would put in the current file. */
  currentTextFor(code: string, only: "used" | "all" = "used"): string {
    const file = parseCell(code);
    const own = new Set(declaredNames(file).map((d) => d.name));
    const used = only === "used" ? identifiersIn(file) : undefined;
    return `${code}\n${this.importTail(own, used)}`;
  }

  /** An empty cell importing every earlier name: the program quick checks run against. */
  setNeutralCurrent(generation: number): void {
    this.currentCodeLength = 0;
    this.write(this.currentFile, `\n${this.importTail(new Set())}// ${generation}\n`);
  }

  /**
   * Type diagnostics of `code` as the current cell: against the program of the earlier cells when
   * that works (quick-check.ts, no new program), else in a new program with `code` as the current file.
   */
  diagnosticsOf(code: string): readonly ts.Diagnostic[] {
    const quick = this.quick.diagnostics(code);
    if (quick !== undefined) return quick;
    this.setCurrent(code, "used");
    return this.service.getSemanticDiagnostics(this.currentFile);
  }

  /** Idle-time work: builds the program quick checks need (after a commit, a completion...). */
  prepareForNextCell(): void {
    this.quick.prepare();
  }

  get codeLength(): number {
    return this.currentCodeLength;
  }

  /** True when an earlier (committed) cell declared `name`. */
  declaredEarlier(name: string): boolean {
    return this.bindings.has(name);
  }

  /** Records a cell that ran: later cells see its declarations. */
  commit(code: string): void {
    const file = parseCell(code);
    const declared = declaredNames(file);
    if (declared.length === 0) return;
    const own = new Set(declared.map((d) => d.name));
    const moduleName = `${INTERNAL_PREFIX}_cell_${++this.committed}`;
    const text = `${exportingModuleText(file, declared)}\n${this.importTail(own)}`;
    this.write(join(this.cwd, `${moduleName}.ts`), text);
    for (const d of declared) this.bindings.set(d.name, { module: `./${moduleName}`, kind: d.kind });
    this.write(this.preludeFile, this.preludeText());
  }

  /** `export {}` (so the file is a module) plus imports of every earlier name the file does not declare itself. */
  private importTail(own: ReadonlySet<string>, used?: ReadonlySet<string>): string {
    const byModule = new Map<string, string[]>();
    for (const [name, binding] of this.bindings) {
      if (binding.kind !== "import" || own.has(name) || (used !== undefined && !used.has(name))) continue;
      const names = byModule.get(binding.module) ?? [];
      names.push(name);
      byModule.set(binding.module, names);
    }
    const imports = [...byModule].map(([module, names]) => `import { ${names.join(", ")} } from "${module}";`);
    return ["export {};", ...imports, ""].join("\n");
  }

  private preludeText(): string {
    const lines: string[] = [];
    for (const [name, binding] of this.bindings) {
      if (binding.kind === "import") continue;
      lines.push(`declare ${binding.kind} ${name}: typeof import("${binding.module}")["${name}"];`);
    }
    return lines.join("\n");
  }

  private write(name: string, text: string): void {
    const existing = this.files.get(name);
    if (existing?.text === text) return;
    this.files.set(name, { text, version: (existing?.version ?? 0) + 1, snapshot: ts.ScriptSnapshot.fromString(text) });
  }

  private diskSnapshot(name: string): ts.IScriptSnapshot | undefined {
    if (this.diskSnapshots.has(name)) return this.diskSnapshots.get(name);
    const text = ts.sys.readFile(name);
    const snapshot = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    // Library and node_modules files do not change during a session; missing files might appear (npm install).
    if (snapshot !== undefined) this.diskSnapshots.set(name, snapshot);
    return snapshot;
  }
}

function identifiersIn(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}
