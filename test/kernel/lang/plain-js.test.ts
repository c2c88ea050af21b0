import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { compileCell } from "../../../kernel/lang/cell-compiler.js";
import { isPlainJavaScript, parseCellSource } from "../../../kernel/lang/plain-js.js";
import { mapStackFrames } from "../../../kernel/lang/stack-map.js";
import ts from "typescript";

const plain = (code: string): boolean => isPlainJavaScript(parseCellSource(code, ts.ScriptTarget.ES2022));

/** Forms whose text is not the JavaScript to run: types, TypeScript-only declarations, or syntax the transpiler lowers. */
const TYPESCRIPT_FORMS = [
  "const s: string = 'a'", "let n: number", "let u!: number", "function f(a: number) { return a }", "function g(a?) {}",
  "function h(): void {}", "const k = (x: number) => x", "const id = <T,>(x: T) => x", "function over(a: string): string; function over(a) { return a }",
  "f<string>(1)", "new Map<string, number>()", "tag<number>`x`", "const inst = f<string>", "x as any", "x!", "x satisfies object",
  "<any>x", "interface I {}", "type T = 1", "enum E { A }", "const enum C { A }", "namespace N {}", "declare const d: number",
  "declare global { var g: number }", "import type { T } from 'm'", "import { type T, v } from 'm'", "export type { T }",
  "export { type T }", "import fs = require('fs')", "export = 1", "abstract class A {}", "class P { constructor(private p) {} }",
  "class Q { readonly q = 1 }", "class R { declare r }", "class S { s?: number }", "class S2 { s!: number }", "class T2 { override m() {} }",
  "class U implements I {}", "class V extends Base<number> {}", "class W { [key: string]: number }", "class X { m?() {} }",
  "class Y { accessor a = 1 }", "@dec class Z {}", "class Z2 { @dec m() {} }", "function t(this) {}", "using r = res()",
  "await using r2 = res()", "a < b > (c)" /* TypeScript reads a call with a type argument */, "import j from './j.json' with { type: 'json' }", "let x = (", "const = 1",
];

/** Plain JavaScript, including newer syntax the transpiler leaves alone at ES2022. */
const JAVASCRIPT_FORMS = [
  "1 + 1", "const a = 1, b = [2]", "let { p, q: [r] = [] } = o", "function f(a = 1, ...rest) { return a }", "async function* g() { yield 1 }",
  "class A extends B { static s = 1; #p = 2; static { } get v() { return this.#p } m() {} async *n() {} }", "a ? b : c", "a?.b?.(c)",
  "x ??= 1", "1_000n", "`t ${1}`", "/re/gu", "import d, { a as b2 } from 'm'", "import * as ns from 'm'", "export const e = 1",
  "export default class {}", "for await (const v of s) {}", "label: for (;;) break label", "{ a: 1 }", "", "// comment",
  "const t = await import('m')", "#p in o", "(x) => x < y > z", "function* gen() { yield* other() }",
];

describe("plain-JavaScript detection", () => {
  it.each(TYPESCRIPT_FORMS)("sends %j through the transpiler", (code) => {
    expect(plain(code)).toBe(false);
  });

  it.each(JAVASCRIPT_FORMS)("uses %j as is", (code) => {
    expect(plain(code)).toBe(true);
  });
});

describe("plain-JavaScript path", () => {
  /** Runs `cells` in one fresh context; returns each cell's value (or error message). */
  async function runAll(cells: readonly string[], alwaysTranspile: boolean): Promise<unknown[]> {
    const context = vm.createContext({ __kindling_import: async (spec: string) => ({ default: `default of ${spec}`, named: spec.length }) });
    const values: unknown[] = [];
    for (const [i, code] of cells.entries()) {
      const compiled = compileCell(code, i + 1, { alwaysTranspile });
      if (compiled.syntaxError) {
        values.push(`syntax error ${compiled.syntaxError.line}:${compiled.syntaxError.column}`);
        continue;
      }
      try {
        const result = (await new vm.Script(compiled.js, { filename: compiled.filename }).runInContext(context)) as { value?: unknown };
        values.push(JSON.stringify(result.value) ?? "undefined");
      } catch (error) {
        values.push(`threw ${(error as Error).message}`);
      }
    }
    return values;
  }

  it("gives the same results as the transpiler for a notebook of plain cells", async () => {
    const cells = [
      "const xs = [3, 1, 2]\nlet total = 0\nfor (const x of xs) total += x\ntotal",
      "function twice(v) { return v * 2 }\nclass Box { #v; constructor(v) { this.#v = v } get v() { return this.#v } }",
      "const { a, b: [c] = [9] } = { a: 1 };\n[a, c, twice(new Box(4).v)]",
      "import d, { named } from 'pkg'\nexport const e = named + 1\n[d, e]",
      "let x\nx ??= 5\nvar v = 1\nvar v\nv + x",
      "{ a: 1, b: [xs.length] }",
      "const later = await Promise.resolve(7); later * 6 // the answer",
      "const total = 1", // redeclaring an earlier let as const
      "total",
      "const f = (s) => s\n`${f('t')}${1_000}`",
      "throw new Error('boom')",
      "1 +",
    ];
    const fast = await runAll(cells, false);
    expect(fast).toEqual(await runAll(cells, true));
    expect(fast.slice(0, 3)).toEqual(["6", "undefined", "[1,9,8]"]);
    expect(fast.at(-2)).toBe("threw boom");
    expect(fast.at(-1)).toBe("syntax error 1:4");
  });

  it("compiles plain cells without the transpiler and TypeScript cells with it", () => {
    expect(compileCell("const n = 1\nn + 1", 1).plainJavaScript).toBe(true);
    expect(compileCell("const n: number = 1", 1).plainJavaScript).toBe(false);
    expect(compileCell("const n = 1\r\nn", 1).plainJavaScript).toBe(false);
  });

  it("points runtime errors of a plain cell at its own line and column, also after an emoji", async () => {
    const code = "const rows = []\n\n  rows.push(1)\n  const e = '😀'; null.boom";
    const compiled = compileCell(code, 4);
    expect(compiled.plainJavaScript).toBe(true);
    let stack = "";
    try {
      await new vm.Script(compiled.js, { filename: compiled.filename }).runInContext(vm.createContext({}));
    } catch (error) {
      stack = mapStackFrames((error as Error).stack ?? "", (name) => (name === compiled.filename ? compiled.positions : undefined));
    }
    // V8 points at `boom`: line 4, the 23rd code point (the emoji is one code point, two UTF-16 units).
    expect(stack).toContain("cell[4]:4:23");
  });
});
