import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const langDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "kernel", "lang");

/** Every module specifier client.ts loads at run time, following relative imports (type-only ones excluded). */
function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
  const source = readFileSync(join(langDir, file), "utf8");
  for (const match of source.matchAll(/^import\s+(?!type\b)[^"']*["']([^"']+)["']/gm)) {
    const spec = match[1]!;
    if (seen.has(spec)) continue;
    seen.add(spec);
    if (spec.startsWith("./")) runtimeImports(spec.slice(2).replace(/\.js$/, ".ts"), seen);
  }
  return seen;
}

describe("the kernel's main thread", () => {
  it("never loads TypeScript through the language tools client (kernel_info must not wait for it)", () => {
    const imports = runtimeImports("client.ts");
    expect(imports.has("node:worker_threads")).toBe(true);
    expect(imports.has("typescript")).toBe(false);
  });
});
