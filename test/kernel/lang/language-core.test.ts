import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { LanguageCore } from "../../../kernel/lang/language-core.js";
import { tempDir } from "../../support/temp-dirs.js";

// One core for the file: building the program over lib + @types/node takes seconds cold.
let core: LanguageCore;
let notebookDir: string;
beforeAll(() => {
  notebookDir = tempDir("kindling-lang-");
  // An ESM-only package (types reachable only through "exports" -> "import") in the notebook's node_modules.
  const pkg = join(notebookDir, "node_modules", "greeter-esm");
  mkdirSync(join(pkg, "dist"), { recursive: true });
  writeFileSync(
    join(pkg, "package.json"),
    JSON.stringify({ name: "greeter-esm", type: "module", exports: { ".": { import: { types: "./dist/index.d.ts", default: "./dist/index.js" } } } }),
  );
  writeFileSync(join(pkg, "dist", "index.d.ts"), "/** Greets someone. */\nexport declare function greet(name: string): string;\n");
  writeFileSync(join(pkg, "dist", "index.js"), "export function greet(name) { return `hi ${name}`; }\n");
  core = new LanguageCore(notebookDir);
  core.warmUp();
}, 120_000);

/** Runs the cell through compile and commit, as the kernel does after executing it. */
function executed(code: string): void {
  core.commit(code);
}

describe("type diagnostics", () => {
  it("reports a type error as a warning at the cell's line and column", () => {
    const compiled = core.compile('const fine = 1;\nconst n: number = "text";', 1);
    expect(compiled.js).not.toBe("");
    expect(compiled.diagnostics).toEqual([
      { category: "warning", line: 2, column: 7, code: 2322, message: "Type 'string' is not assignable to type 'number'." },
    ]);
  });

  it("reports errors as errors in strict mode", () => {
    core.setStrict(true);
    try {
      expect(core.compile("const n: number = 'a';", 2).diagnostics[0]).toMatchObject({ category: "error", code: 2322 });
    } finally {
      core.setStrict(false);
    }
  });

  it("counts columns in code points after an emoji", () => {
    const [diagnostic] = core.compile('const s = "😀😀"; const n: number = s;', 3).diagnostics;
    expect(diagnostic).toMatchObject({ line: 1, column: 23, code: 2322 });
  });

  it("accepts top-level await, for await and the kernel's globals", () => {
    const code = [
      "const v = await Promise.resolve(1);",
      "for await (const x of [Promise.resolve(2)]) v + x;",
      "const handle = await display({ a: 1 }, { id: 'x' });",
      "await handle.update(2);",
      "const name: string = await input('name?', { password: true });",
      "clear_output({ wait: true });",
    ].join("\n");
    expect(core.compile(code, 4).diagnostics).toEqual([]);
  });

  it("sees earlier cells' variables, functions, classes, types and imports", () => {
    executed(
      [
        'import * as path from "node:path";',
        "interface Point { x: number; y: number }",
        "const origin: Point = { x: 0, y: 0 };",
        "function norm(p: Point): number { return Math.hypot(p.x, p.y); }",
        "class Box<T> { constructor(readonly value: T) {} }",
        "let counter = 0;",
      ].join("\n"),
    );
    const ok = core.compile("counter += 1;\nconst p: Point = { x: 3, y: 4 };\nnorm(p) + norm(origin);\nnew Box('s').value.toUpperCase();\npath.join('a', 'b');", 5);
    expect(ok.diagnostics).toEqual([]);
    const wrong = core.compile("norm(origin).toUpperCase();\nconst q: Point = { x: 1 };", 6);
    expect(wrong.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [1, 2339],
      [2, 2741],
    ]);
  });

  it("explains that an earlier cell's const cannot be reassigned, and how to fix it", () => {
    executed("const frozen = 1;");
    const [diagnostic] = core.compile("frozen = 2;", 10).diagnostics;
    expect(diagnostic).toMatchObject({ line: 1, column: 1, code: 2632 });
    expect(diagnostic?.message).toBe(
      "Cannot assign to 'frozen': an earlier cell declared it with const, function or class. Declare it with let there, or declare it again here (const frozen = ...).",
    );
  });

  it("lets a later cell redeclare a name with another type", () => {
    executed("const label = 42;");
    expect(core.compile('const label = "now a string";\nlabel.toUpperCase();', 7).diagnostics).toEqual([]);
    executed('const label = "now a string";');
    expect(core.compile("label.toUpperCase();", 8).diagnostics).toEqual([]);
  });

  it("checks `{ a: 1, b: 'x' }` as the object literal it runs as, with positions in the cell", () => {
    expect(core.compile("{ a: 1, b: 'x' }", 12).diagnostics).toEqual([]);
    const [diagnostic] = core.compile("{ a: 1, b: notDefined }", 13).diagnostics;
    expect(diagnostic).toMatchObject({ line: 1, column: 12 });
    expect(diagnostic?.message).toContain("Cannot find name 'notDefined'");
  });

  it("says how to fix an import that does not resolve", () => {
    const [missing, relative] = core.compile('import x from "no-such-package/sub";\nimport y from "./no-such-file.js";', 14).diagnostics;
    expect(missing).toMatchObject({ line: 1, column: 15, code: 2307 });
    expect(missing?.message).toContain("npm install no-such-package");
    expect(relative?.message).toContain("notebook's directory");
  });

  it("turns what V8 would reject at run time (await in a non-async callback) into a syntax error at the cell position", () => {
    const compiled = core.compile("const xs = [1];\nxs.forEach((x) => {\n  await Promise.resolve(x);\n});", 15);
    expect(compiled.js).toBe("");
    expect(compiled.syntaxError).toMatchObject({ category: "error", line: 3, column: 3 });
    expect(compiled.syntaxError?.message).toMatch(/await/);
  });

  it("returns a syntax error instead of diagnostics for code that does not parse", () => {
    const compiled = core.compile("const = 1", 9);
    expect(compiled.syntaxError).toMatchObject({ line: 1, column: 7 });
    expect(compiled.js).toBe("");
  });
});

describe("the kindling package", () => {
  it("resolves `import ... from \"kindling\"` to this repository's runtime types", () => {
    const compiled = core.compile('import * as kindling from "kindling";\nconst s: string = kindling;', 11);
    expect(compiled.diagnostics.map((d) => d.code)).not.toContain(2307);
    // The namespace is a real module type, so assigning it to a string is a type error.
    expect(compiled.diagnostics).toMatchObject([{ line: 2, code: 2322 }]);
  });
});

describe("packages in the notebook's directory", () => {
  it("type-checks imports of an ESM-only package from the notebook's node_modules", () => {
    expect(core.compile('import { greet } from "greeter-esm";\ngreet("Ada").toUpperCase();', 16).diagnostics).toEqual([]);
    const [wrong] = core.compile('import { greet } from "greeter-esm";\ngreet(42);', 17).diagnostics;
    expect(wrong).toMatchObject({ line: 2, column: 7, code: 2345 });
  });
});

describe("packages installed during the session", () => {
  it("finds a package installed after an import of it failed (nothing stale is cached)", () => {
    const [before] = core.compile('import { later } from "installed-later";\nlater.toFixed();', 18).diagnostics;
    expect(before).toMatchObject({ line: 1, code: 2307 });
    const pkg = join(notebookDir, "node_modules", "installed-later");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "installed-later", types: "./index.d.ts" }));
    writeFileSync(join(pkg, "index.d.ts"), "export declare const later: number;\n");
    // A new cell (a changed text makes a new program, which resolves the cell's imports again).
    expect(core.compile('import { later } from "installed-later";\nlater.toFixed(); // again', 19).diagnostics).toEqual([]);
  });
});

describe("re-run cells", () => {
  it("reuse their JavaScript under the new count, with current diagnostics and stack positions", async () => {
    const code = "const rerun = 1;\nnot_declared_yet.boom;";
    const first = core.compile(code, 20);
    expect(first.diagnostics).toMatchObject([{ line: 2, code: 2304 }]);
    executed("const not_declared_yet = null as unknown as { boom: number };");
    const again = core.compile(code, 21);
    expect(again.js).toBe(first.js);
    expect(again.filename).toBe("cell[21]");
    // Diagnostics are checked again: an earlier cell declared the name meanwhile.
    expect(again.diagnostics).toEqual([]);
    const context = vm.createContext({ not_declared_yet: null });
    const error = await (new vm.Script(again.js, { filename: again.filename }).runInContext(context) as Promise<unknown>).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    // `boom` is the 18th character of line 2; the stack names the re-run's count.
    expect(core.mapStack(error?.stack ?? "")).toContain("cell[21]:2:18");
  });
});

describe("completion", () => {
  it("completes members after `.` of an earlier cell's variable", () => {
    executed("const user = { name: 'Ada', nickname: 'ada', age: 36 };");
    const result = core.complete("user.n", 6);
    expect(result.matches).toEqual(["name", "nickname"]);
    expect(result.cursorStart).toBe(5);
    expect(result.cursorEnd).toBe(6);
    expect(result.types[0]).toMatchObject({ start: 5, end: 6, text: "name", type: "property" });
  });

  it("completes earlier cells' names and globals by prefix", () => {
    const result = core.complete("const z = us", 12);
    expect(result.matches).toContain("user");
    expect(result.cursorStart).toBe(10);
    expect(core.complete("displ", 5).matches).toContain("display");
  });

  it("counts cursor positions in code points when an emoji comes before the cursor", () => {
    const code = 'const e = "😀"; user.ag';
    const cursor = [...code].length;
    const result = core.complete(code, cursor);
    expect(result.matches).toEqual(["age"]);
    expect(result.cursorStart).toBe(cursor - 2);
    expect(result.cursorEnd).toBe(cursor);
  });

  it("replaces the whole word when completing in its middle", () => {
    const result = core.complete("user.nme + 1", 6);
    expect(result.matches).toEqual(["name", "nickname"]);
    expect([result.cursorStart, result.cursorEnd]).toEqual([5, 8]);
  });

  it("completes Node builtins after `node:` in an import", () => {
    const code = 'import { readFile } from "node:fs';
    const result = core.complete(code, code.length);
    expect(result.matches).toEqual(expect.arrayContaining(["node:fs", "node:fs/promises"]));
    expect(result.matches.every((m) => m.startsWith("node:fs"))).toBe(true);
    expect(result.cursorStart).toBe(code.indexOf("node:"));
  });

  it("hides the notebook's internal names", () => {
    expect(core.complete("__kindling", 10).matches).toEqual([]);
  });
});

describe("inspect", () => {
  it("shows the signature and JSDoc of an earlier cell's function", () => {
    executed("/** Adds two numbers. */\nfunction add(a: number, b: number): number { return a + b; }");
    const result = core.inspect("add(1, 2)", 3, 0);
    expect(result.found).toBe(true);
    expect(result.data["text/plain"]).toContain("function add(a: number, b: number): number");
    expect(result.data["text/plain"]).toContain("Adds two numbers.");
    expect(result.data["text/markdown"]).toContain("```typescript");
  });

  it("shows a variable's type", () => {
    expect(core.inspect("user", 2, 0).data["text/plain"]).toContain("age: number");
  });

  it("finds nothing for an unknown name or blank space", () => {
    expect(core.inspect("notDefinedAnywhere", 5, 0)).toEqual({ found: false, data: {} });
    expect(core.inspect("   ", 1, 0)).toEqual({ found: false, data: {} });
  });
});
