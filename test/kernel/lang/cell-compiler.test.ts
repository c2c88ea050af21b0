import { describe, expect, it } from "vitest";
import { compileCell } from "../../../kernel/lang/cell-compiler.js";
import { notebook } from "./run-cells.js";

describe("cell compiler: bindings", () => {
  it("lets a cell that declares const run twice and later cells see the new value", async () => {
    const nb = notebook();
    await nb.run("const x = 1");
    await nb.run("const x = 2");
    expect(await nb.run("x * 10")).toEqual({ value: 20 });
  });

  it("binds every name of a destructuring declaration, with defaults and rest", async () => {
    const nb = notebook();
    await nb.run("const { a, b: [c, , d = 4], ...rest } = { a: 1, b: [2, 3], e: 5 } as any; const [h, ...t] = [7, 8, 9];");
    expect(await nb.run("[a, c, d, rest, h, t]")).toEqual({ value: [1, 2, 4, { e: 5 }, 7, [8, 9]] });
  });

  it("declares several names in one statement, typed, and keeps `var x;` from resetting a value", async () => {
    const nb = notebook();
    await nb.run("let p: number = 1, q = p + 1; var w = 5;");
    await nb.run("var w;");
    expect(await nb.run("[p, q, w]")).toEqual({ value: [1, 2, 5] });
  });

  it("makes classes usable by later cells and redeclarable", async () => {
    const nb = notebook();
    const cell = "class Counter { private n = 0; inc(): number { return ++this.n; } }";
    await nb.run(cell);
    await nb.run(cell);
    expect(await nb.run("const c = new Counter(); c.inc(); c.inc()")).toEqual({ value: 2 });
  });

  it("hoists function declarations within the cell and exports them to later cells", async () => {
    const nb = notebook();
    await nb.run("const early = double(21)\nfunction double(v: number): number { return v * 2 }");
    expect(await nb.run("[early, double(5)]")).toEqual({ value: [42, 10] });
  });

  it("compiles enums and strips export keywords", async () => {
    const nb = notebook();
    await nb.run("enum Color { Red, Green }\nexport const answer = 42;\nexport function f() { return 1 }");
    expect(await nb.run("[Color.Green, Color[0], answer, f()]")).toEqual({ value: [1, "Red", 42, 1] });
  });

  it("evaluates anonymous default exports, including async functions, as values", async () => {
    const nb = notebook();
    const result = await nb.run("export default async function () { return 5; }");
    expect(typeof result.value).toBe("function");
    expect(await (result.value as () => Promise<number>)()).toBe(5);
    expect(await nb.run("export default class { v = 1 }").then((r) => typeof r.value)).toBe("function");
    expect(await nb.run("export default 6 * 7")).toEqual({ value: 42 });
  });

  it("keeps block-scoped declarations inside blocks local", async () => {
    const nb = notebook();
    await nb.run("{ const hidden = 1 }\nfor (const i of [1]) {}");
    expect(await nb.run("typeof hidden + typeof i")).toEqual({ value: "undefinedundefined" });
  });
});

describe("cell compiler: imports", () => {
  const modules = {
    lib: { default: "the default", one: 1, two: 2 },
    side: {},
    dyn: { dynamic: true },
  };

  it("turns default, named, aliased and namespace imports into global bindings", async () => {
    const nb = notebook(modules);
    await nb.run('import def, { one, two as deux } from "lib";\nimport * as ns from "lib";');
    expect(await nb.run("[def, one, deux, ns.two]")).toEqual({ value: ["the default", 1, 2, 2] });
  });

  it("runs side-effect imports, drops type-only imports, and routes dynamic import() to the hook", async () => {
    const nb = notebook(modules);
    await nb.run('import "side";\nimport type { Thing } from "types-only";\nimport { type Other, one } from "lib";');
    const value = await nb.run('const m = await import("dyn"); m.dynamic');
    expect(value).toEqual({ value: true });
    expect(nb.imported).toEqual(["side", "lib", "dyn"]);
  });

  it("keeps imports a cell does not use itself (a later cell may)", async () => {
    const nb = notebook(modules);
    await nb.run('import { one } from "lib";');
    expect(await nb.run("one + 1")).toEqual({ value: 2 });
  });
});

describe("cell compiler: values and await", () => {
  it("returns the value of the last expression statement, with or without a semicolon", async () => {
    const nb = notebook();
    expect(await nb.run("const a = 20;\na + 1;")).toEqual({ value: 21 });
    expect(await nb.run("a + 2")).toEqual({ value: 22 });
  });

  it("returns no value when the cell ends with a declaration", async () => {
    const nb = notebook();
    const result = await nb.run("1 + 1\nconst later = 3");
    expect(result).toEqual({});
    expect("value" in result).toBe(false);
  });

  it("reads `{a: 1}` alone as an object literal but a block with a statement as a block", async () => {
    const nb = notebook();
    expect(await nb.run("{a: 1, b: 'x'}")).toEqual({ value: { a: 1, b: "x" } });
    expect(await nb.run("{ const inner = 1; }")).toEqual({});
  });

  it("supports top-level await, including for await and await in for-of", async () => {
    const nb = notebook();
    await nb.run("async function* gen() { yield 1; yield 2; }\nconst seen: number[] = [];\nfor await (const v of gen()) seen.push(v);");
    await nb.run("for (const v of [3, 4]) seen.push(await Promise.resolve(v));");
    expect(await nb.run("await Promise.resolve(seen)")).toEqual({ value: [1, 2, 3, 4] });
  });

  it("runs in strict mode like a module", async () => {
    const nb = notebook();
    await expect(nb.run("undeclaredName = 1")).rejects.toThrow(/undeclaredName is not defined/);
  });
});

describe("cell compiler: errors", () => {
  it("reports a syntax error with the cell's line and column and produces no script", () => {
    const compiled = compileCell("const ok = 1;\nlet x = ;", 4);
    expect(compiled.js).toBe("");
    expect(compiled.syntaxError).toMatchObject({ category: "error", line: 2, column: 9, code: 1109 });
    expect(compiled.filename).toBe("cell[4]");
  });
});
