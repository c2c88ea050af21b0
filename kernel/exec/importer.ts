/**
 * `globalThis.__kindling_import(spec)`: the dynamic import cells compile to. Specifiers resolve from
 * the notebook's directory (not from the kernel's install dir), "kindling" resolves to this package's
 * runtime, and both ESM and CommonJS packages load (a CommonJS module's exports arrive as `default`
 * plus the named exports Node detects).
 */
import { existsSync, readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** From dist/kernel/exec/importer.js: dist/runtime/index.js; from the TypeScript source (tests): the built one in dist/. */
const RUNTIME_CANDIDATES = ["../../runtime/index.js", "../../dist/runtime/index.js"].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);
const RUNTIME_ENTRY = RUNTIME_CANDIDATES.find((candidate) => existsSync(candidate)) ?? (RUNTIME_CANDIDATES[0] as string);

export function createImporter(cwd: string): (spec: string) => Promise<unknown> {
  const requireFromCwd = createRequire(join(cwd, "__kindling_notebook__.js"));
  return async (spec: string): Promise<unknown> => {
    if (typeof spec !== "string" || spec === "") throw new TypeError("import specifier must be a non-empty string");
    return import(resolveSpecifier(spec, cwd, requireFromCwd));
  };
}

export function resolveSpecifier(spec: string, cwd: string, requireFromCwd: NodeJS.Require): string {
  if (spec.startsWith("node:") || builtinModules.includes(spec)) return spec.startsWith("node:") ? spec : `node:${spec}`;
  if (spec === "kindling" || spec.startsWith("kindling/")) return runtimeEntry(spec);
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !isAbsolute(spec)) return spec; // file:, data: URLs
  if (spec.startsWith(".") || isAbsolute(spec)) return pathToFileURL(resolve(cwd, spec)).href;
  try {
    return pathToFileURL(requireFromCwd.resolve(spec)).href;
  } catch (error) {
    // ESM-only packages ("exports" with only an "import" condition) are invisible to require.resolve.
    const viaExports = resolveEsmExports(spec, cwd);
    if (viaExports) return pathToFileURL(viaExports).href;
    throw new Error(`Cannot find package "${spec}" from ${cwd}. Install it there: npm install ${packageName(spec)}`, {
      cause: error,
    });
  }
}

function runtimeEntry(spec: string): string {
  if (spec !== "kindling") throw new Error(`"${spec}": only the "kindling" entry point is exported; import from "kindling".`);
  if (!existsSync(RUNTIME_ENTRY)) {
    throw new Error(`The Kindling runtime is not built (${RUNTIME_ENTRY} is missing); run \`npx tsc -p .\` in the package.`);
  }
  return pathToFileURL(RUNTIME_ENTRY).href;
}

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? spec);
}

/** A small subset of the ESM "exports" resolution: conditions import, node, default. */
function resolveEsmExports(spec: string, cwd: string): string | undefined {
  const name = packageName(spec);
  const subpath = "." + spec.slice(name.length);
  for (let dir = cwd; ; dir = dirname(dir)) {
    const pkgDir = join(dir, "node_modules", name);
    const manifest = join(pkgDir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { exports?: unknown; module?: string; main?: string };
      const target = pickExport(pkg.exports, subpath) ?? (subpath === "." ? (pkg.module ?? pkg.main) : undefined);
      return target ? join(pkgDir, target) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function pickExport(exportsField: unknown, subpath: string): string | undefined {
  if (typeof exportsField === "string") return subpath === "." ? exportsField : undefined;
  if (exportsField === null || typeof exportsField !== "object") return undefined;
  const record = exportsField as Record<string, unknown>;
  const keysAreSubpaths = Object.keys(record).some((key) => key.startsWith("."));
  const entry = keysAreSubpaths ? record[subpath] : subpath === "." ? record : undefined;
  return pickCondition(entry);
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (Array.isArray(entry)) return entry.map(pickCondition).find((found) => found !== undefined);
  if (entry === null || typeof entry !== "object") return undefined;
  const record = entry as Record<string, unknown>;
  for (const condition of ["import", "node", "default"]) {
    const found = condition in record ? pickCondition(record[condition]) : undefined;
    if (found) return found;
  }
  return undefined;
}
