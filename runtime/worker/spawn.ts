/**
 * Starts one worker thread on the worker entry. From compiled output (dist/*.js) the entry runs
 * as is. From sources (tests under vitest, `*.ts`), the worker first registers module hooks that
 * transpile TypeScript on load (oxc through rolldown when installed, else the TypeScript compiler)
 * and map `./x.js` imports to `./x.ts`, so the same entry runs in both layouts.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

function transpilerImport(): string {
  const require = createRequire(import.meta.url);
  try {
    const url = pathToFileURL(require.resolve("rolldown/experimental")).href;
    return `import { transformSync } from ${JSON.stringify(url)};
const transpile = (url, src) => {
  const out = transformSync(url, src, { sourcemap: false });
  if (out.errors && out.errors.length) throw new Error(url + ": " + out.errors[0].message);
  return out.code;
};`;
  } catch {
    const url = pathToFileURL(require.resolve("typescript")).href;
    return `import ts from ${JSON.stringify(url)};
const transpile = (url, src) => ts.transpileModule(src, { fileName: url, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;`;
  }
}

let hooksUrl: string | undefined;

function sourceHooksUrl(): string {
  hooksUrl ??=
    "data:text/javascript," +
    encodeURIComponent(`import { readFile } from "node:fs/promises";
${transpilerImport()}
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (e) {
    if (specifier.endsWith(".js") && context.parentURL && context.parentURL.endsWith(".ts")) return next(specifier.slice(0, -3) + ".ts", context);
    throw e;
  }
}
export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const src = await readFile(new URL(url), "utf8");
  return { format: "module", source: transpile(url, src), shortCircuit: true };
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
