import vm from "node:vm";
import { expect, test } from "vitest";
import { compileCell } from "../../../kernel/lang/cell-compiler.js";
const corpus = [
  "let a", "var b = 1, c", "const [x = 1, [y], ...z] = [1, [2], 3, 4]", "const { p: { q = 2 } = {}, ['r']: r2 } = {} as any",
  "export let e1 = 1, e2 = 2", "export function ef() {}", "export class EC {}", "export default 5", "export { }", "export * from 'x'",
  "import d, { a as b2 } from 'm'", "import * as ns2 from 'm'", "import 'side'", "import type { T } from 't'", "import { type T2, v } from 'm'",
  "import json from './d.json' with { type: 'json' }",
  "abstract class Base { abstract m(): void }", "class D extends Array<number> { static s = 1; #p = 2; get g() { return this.#p } }",
  "enum E { A = 'a', B = 'b' }", "const enum CE { X }", "declare const dc: number", "namespace NS { export const v = 1 }",
  "function* gen() { yield 1 }", "async function af() { await 1 }", "const arrow = async (x: number): Promise<number> => x",
  "label: for (const i of [1]) { break label }", "if (true) { const inner = 1 } else { }", "try { } catch { } finally { }",
  "switch (1 as number) { case 1: break; default: }", "x = 5", "x ??= 1; x", "`template ${1 + 1}`", "/regex/g.test('a')",
  "{ a: 1 }", "{}", "({})", ";", "", "// only a comment", "/* block */", "(function () {})", "new Date()",
  "type A = string; interface I { a: A }", "const o = { async *[Symbol.asyncIterator]() {} }",
  "for await (const v of []) {}", "const t = await import('m')", "let u: string | undefined = undefined!",
  "const sat = { a: 1 } satisfies Record<string, number>", "function over(a: string): string; function over(a: any) { return a }",
  "class Param { constructor(private readonly p: number, public q = 2) {} }", "using res = { [Symbol.dispose]() {} }",
  "const a1 = 1 /* , */, b1 = 2", "const fnExpr = function named() { return named }", "const cls = class Named {}",
  "var v1; var v1 = 2", "let q1 = 1\nconst { w } = { w: 2 }\nq1 + w",
];
/** Every TypeScript form a cell may contain must come out as a script V8 accepts (a rewrite bug shows here). */
test("every top-level form compiles to a script V8 accepts", () => {
  const problems: string[] = [];
  corpus.forEach((code, i) => {
    const compiled = compileCell(code, i);
    if (compiled.syntaxError) { problems.push(`SYNTAX ${JSON.stringify(code)}: ${compiled.syntaxError.message}`); return; }
    try { new vm.Script(compiled.js, { filename: compiled.filename }); } catch (e) { problems.push(`V8 ${JSON.stringify(code)}: ${(e as Error).message}\n${compiled.js}`); }
  });
  expect(problems).toEqual([]);
});
