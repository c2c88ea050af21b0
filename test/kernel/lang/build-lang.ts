/**
 * Test helper: the language worker must run as JavaScript (worker_threads cannot load .ts on
 * Node 20), so integration tests transpile kernel/lang/*.ts into a cache folder inside the repo
 * (node_modules resolution still finds "typescript") and load the client from there.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export function buildLanguageTools(repoRoot: string): string {
  const sourceDir = join(repoRoot, "kernel", "lang");
  const outDir = join(repoRoot, "node_modules", ".cache", "kindling-lang-test", "kernel", "lang");
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(sourceDir)) {
    if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
    const output = ts.transpileModule(readFileSync(join(sourceDir, name), "utf8"), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      fileName: name,
    });
    writeFileSync(join(outDir, name.replace(/\.ts$/, ".js")), output.outputText);
  }
  // "type": "module" so Node loads the output as ESM. No "name": findKindlingRoot must walk on
  // up to the repository's own package.json to find the runtime's types.
  writeFileSync(join(outDir, "..", "..", "package.json"), JSON.stringify({ type: "module" }));
  return join(outDir, "client.js");
}
