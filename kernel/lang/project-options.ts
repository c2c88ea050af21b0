/**
 * Compiler options for checking cells: strict TypeScript, ES modules resolved like a bundler
 * (extensionless relative imports, package "exports" with the "import" condition), Node's types
 * found wherever npm put them, and "kindling" pointing at this repository's runtime.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Root of the kindling package: the nearest ancestor of this file with a package.json named "kindling". */
export function findKindlingRoot(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = from;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (ts.sys.fileExists(manifest)) {
      try {
        const parsed = JSON.parse(ts.sys.readFile(manifest) ?? "{}") as { name?: unknown };
        if (parsed.name === "kindling") return dir;
      } catch {
        // Unreadable manifest: keep looking upward.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `node_modules/@types` folders holding @types/node, searched from the notebook and from kindling. */
function nodeTypeRoots(starts: readonly string[]): string[] {
  const roots: string[] = [];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const typesDir = join(dir, "node_modules", "@types");
      if (ts.sys.fileExists(join(typesDir, "node", "package.json"))) {
        if (!roots.includes(typesDir)) roots.push(typesDir);
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return roots;
}

/** Where `import ... from "kindling"` points: the built declarations if present, else the sources. */
function kindlingEntry(root: string): string | undefined {
  const built = join(root, "dist", "runtime", "index.d.ts");
  if (ts.sys.fileExists(built)) return built;
  const source = join(root, "runtime", "index.ts");
  return ts.sys.fileExists(source) ? source : undefined;
}

export function projectOptions(cwd: string, kindlingRoot: string | undefined): ts.CompilerOptions {
  const typeRoots = nodeTypeRoots(kindlingRoot === undefined ? [cwd] : [cwd, kindlingRoot]);
  const entry = kindlingRoot === undefined ? undefined : kindlingEntry(kindlingRoot);
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts"],
    ...(typeRoots.length > 0 ? { typeRoots, types: ["node"] } : { types: [] }),
    strict: true,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    allowJs: true,
    checkJs: false,
    skipLibCheck: true,
    noEmit: true,
    useDefineForClassFields: true,
    ...(entry === undefined ? {} : { paths: { kindling: [entry] } }),
  };
}
