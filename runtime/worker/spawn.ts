/**
 * Starts one worker thread on the worker entry. From compiled output (dist/*.js) the entry runs
 * as is. From sources (tests under vitest, `*.ts`), the worker first registers module hooks that
 * transpile TypeScript on load (oxc through rolldown when installed, else the TypeScript compiler;
 * cached on disk) and map `./x.js` imports to `./x.ts`, so the same entry runs in both layouts.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/** Module text that defines `async loadTranspiler()` returning `(url, src) => js`. */
function transpilerLoader(): string {
  const require = createRequire(import.meta.url);
  try {
    const url = pathToFileURL(require.resolve("rolldown/experimental")).href;
    return `const transpilerId = "oxc";
async function loadTranspiler() {
  const { transformSync } = await import(${JSON.stringify(url)});
  return (url, src) => {
    const out = transformSync(url, src, { sourcemap: false });
    if (out.errors && out.errors.length) throw new Error(url + ": " + out.errors[0].message);
    return out.code;
  };
}`;
  } catch {
    const url = pathToFileURL(require.resolve("typescript")).href;
    return `const transpilerId = "tsc";
async function loadTranspiler() {
  const ts = (await import(${JSON.stringify(url)})).default;
  return (url, src) => ts.transpileModule(src, { fileName: url, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}`;
  }
}

let hooksUrl: string | undefined;

/**
 * Hooks: `./x.js` from a .ts file resolves to `./x.ts` when that exists; .ts files are transpiled
 * once and cached on disk by path, size and mtime, so later workers skip loading the transpiler.
 */
function sourceHooksUrl(): string {
  hooksUrl ??=
    "data:text/javascript," +
    encodeURIComponent(`import { readFile, writeFile, mkdir, stat, rename } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
${transpilerLoader()}
const cacheDir = join(tmpdir(), "kindling-ts-cache");
let transpilerPromise;
export async function resolve(specifier, context, next) {
  if ((specifier.startsWith(".") || specifier.startsWith("file:")) && specifier.endsWith(".js") && context.parentURL && context.parentURL.endsWith(".ts")) {
    const ts = new URL(specifier.slice(0, -3) + ".ts", context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, format: "module", shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const path = fileURLToPath(url);
  const info = await stat(path);
  const key = createHash("sha1").update(transpilerId + "\0" + path + "\0" + info.size + "\0" + info.mtimeMs).digest("hex");
  const cached = join(cacheDir, key + ".js");
  try {
    return { format: "module", source: await readFile(cached, "utf8"), shortCircuit: true };
  } catch {}
  transpilerPromise ??= loadTranspiler();
  const transpile = await transpilerPromise;
  const source = transpile(url, await readFile(path, "utf8"));
  try {
    await mkdir(cacheDir, { recursive: true });
    const tmp = cached + "." + process.pid + "." + Math.random().toString(36).slice(2);
    await writeFile(tmp, source);
    await rename(tmp, cached);
  } catch {}
  return { format: "module", source, shortCircuit: true };
}`);
  return hooksUrl;
}

export interface SpawnOptions {
  readonly workerData?: unknown;
  readonly resourceLimits?: ResourceLimits;
  readonly name?: string;
}

export function spawnWorker(entry: URL, options: SpawnOptions = {}): Worker {
  const common = { workerData: options.workerData, resourceLimits: options.resourceLimits, name: options.name, stdout: false, stderr: false };
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, common);
  const boot = `require("node:module").register(${JSON.stringify(sourceHooksUrl())});
import(${JSON.stringify(entry.href)}).catch((e) => { process.nextTick(() => { throw e; }); });`;
  return new Worker(boot, { ...common, eval: true });
}
