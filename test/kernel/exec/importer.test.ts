import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createImporter, resolveSpecifier } from "../../../kernel/exec/importer.js";
import { tempDir } from "../../support/temp-dirs.js";

/** A notebook folder with an ESM-only package (exports.import only), a CommonJS package and a local file. */
let notebookDir: string;
beforeAll(() => {
  const root = tempDir("kindling-import-");
  notebookDir = join(root, "notebooks", "deep");
  mkdirSync(notebookDir, { recursive: true });
  const esm = join(root, "node_modules", "esm-only");
  mkdirSync(join(esm, "lib"), { recursive: true });
  writeFileSync(join(esm, "package.json"), JSON.stringify({ name: "esm-only", type: "module", exports: { ".": { import: "./lib/index.js" } } }));
  writeFileSync(join(esm, "lib", "index.js"), "export const kind = 'esm';\n");
  const cjs = join(root, "node_modules", "@scope", "cjs-pkg");
  mkdirSync(cjs, { recursive: true });
  writeFileSync(join(cjs, "package.json"), JSON.stringify({ name: "@scope/cjs-pkg", main: "main.js" }));
  writeFileSync(join(cjs, "main.js"), "exports.kind = 'cjs';\n");
  writeFileSync(join(notebookDir, "helper.mjs"), "export const kind = 'local';\n");
});

describe("__kindling_import", () => {
  it("loads an ESM-only package found in a parent folder's node_modules", async () => {
    const module = (await createImporter(notebookDir)("esm-only")) as { kind: string };
    expect(module.kind).toBe("esm");
  });

  it("loads a scoped CommonJS package with named and default exports", async () => {
    const module = (await createImporter(notebookDir)("@scope/cjs-pkg")) as { kind: string; default: { kind: string } };
    expect(module.default.kind).toBe("cjs");
    expect(module.kind).toBe("cjs");
  });

  it("loads relative files from the notebook's folder and Node builtins with or without node:", async () => {
    const load = createImporter(notebookDir);
    expect(((await load("./helper.mjs")) as { kind: string }).kind).toBe("local");
    expect(typeof ((await load("path")) as { join: unknown }).join).toBe("function");
    expect(typeof ((await load("node:fs")) as { readFileSync: unknown }).readFileSync).toBe("function");
  });

  it("says how to install a package that is missing", async () => {
    await expect(createImporter(notebookDir)("not-installed-anywhere/sub")).rejects.toThrow(/npm install not-installed-anywhere/);
  });

  it('resolves "kindling" to the package runtime entry in dist/', () => {
    const requireHere = createRequire(join(notebookDir, "x.js"));
    const built = existsSync(fileURLToPath(new URL("../../../dist/runtime/index.js", import.meta.url)));
    if (!built) {
      expect(() => resolveSpecifier("kindling", notebookDir, requireHere)).toThrow(/npx tsc -p \./);
      return;
    }
    expect(fileURLToPath(resolveSpecifier("kindling", notebookDir, requireHere))).toMatch(/dist\/runtime\/index\.js$/);
  });
});
