import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { NotebookProject } from "../../../kernel/lang/project.js";
import { QuickChecker } from "../../../kernel/lang/quick-check.js";
import { tempDir } from "../../support/temp-dirs.js";

/** A notebook: [cell, does it run (and so get committed)]. Type errors, fixes, redeclarations, globals. */
const NOTEBOOK: readonly (readonly [string, boolean])[] = [
  ["const a = 1", true], ["a.toFixed(2)", false], ["a = 2", false], ["let b: string = 'x'", true], ["b = 3", false], ["b = 'y'", false],
  ["function f(x: number) { return x * 2 }", true], ["f('s')", false], ["f(a).toUpperCase()", false], ["interface P { x: number }", true],
  ["const p: P = { x: 1, y: 2 }", false], ["class K { #n = 1; m() { return this.#n } }", true], ["new K().n()", false],
  ["await Promise.resolve(1)", false], ["const arr = [1, 2, 3]", true], ["arr.map((v) => v.foo)", false], ["console.log(undefinedName)", false],
  ["setTimeout(() => {}, 'x')", false], ["process.env.HOME.length", false], ["Buffer.from('x').toString('hex')", false],
  ["const { x, ...rest } = { x: 1, y: 2 }", true], ["rest.y + x", false], ["let u: number | undefined; u.toFixed()", false],
  ["for await (const v of [1]) {}", false], ["display(1)", false], ["type T = { a: string }; const t: T = { a: 1 }", false],
  ["const c = a + b", true], ["c.length", false], ["const a = 'now a string'", true], ["a.toUpperCase(); a.toFixed()", false],
  ["function g<T>(v: T): T[] { return [v] }", true], ["g<number>('no')", false], ["enum Color { Red }", true], ["Color.Blue", false],
  ["(", false], ["const k: K = new K(); k.m().toFixed()", false],
];

/** Cells a new program must handle (the quick path declines them). */
const DECLINED = ["import fs from 'node:fs'", "const m = require('x')", "declare global { var z: number }", "// @ts-ignore\nconst q: number = 's'", "export * from './x'"];

let dir: string;
beforeAll(() => {
  dir = tempDir("kindling-quick-");
});

/** Diagnostics the ordinary way: the cell in the current file, a new program. */
function fullDiagnostics(project: NotebookProject, code: string): readonly ts.Diagnostic[] {
  project.setCurrent(code, "used");
  return project.languageService.getSemanticDiagnostics(project.currentFile);
}

const described = (diagnostics: readonly ts.Diagnostic[]): string[] =>
  diagnostics.map((d) => `${d.start}:${d.code}:${ts.flattenDiagnosticMessageText(d.messageText, " ")}`).sort();

describe("quick type check (no new program per cell)", () => {
  it("gives exactly the diagnostics of a new program, cell by cell through a notebook", () => {
    const quickProject = new NotebookProject(dir);
    const fullProject = new NotebookProject(dir);
    const quick = new QuickChecker(quickProject);
    let errors = 0;
    for (const [code, runs] of NOTEBOOK) {
      const expected = described(fullDiagnostics(fullProject, code));
      const found = quick.diagnostics(code);
      expect(found, code).toBeDefined();
      expect(described(found ?? []), code).toEqual(expected);
      errors += expected.length;
      if (runs) {
        quickProject.commit(code);
        fullProject.commit(code);
      }
    }
    // The same text again on the same checker: the same diagnostics again.
    const once = quick.diagnostics("a.toFixed()");
    const again = quick.diagnostics("a.toFixed()");
    expect(again).toHaveLength(1);
    expect(described(again ?? [])).toEqual(described(once ?? []));
    // The notebook is made of mistakes: a comparison of empty lists would prove nothing.
    expect(errors).toBeGreaterThanOrEqual(15);
  }, 120_000);

  it("declines cells that only a new program can check, and the project then checks them the ordinary way", () => {
    const project = new NotebookProject(dir);
    const quick = new QuickChecker(project);
    for (const code of DECLINED) expect(quick.diagnostics(code), code).toBeUndefined();
    const viaProject = described(project.diagnosticsOf("// @ts-ignore\nconst q: number = 's'\nconst r: number = 's'"));
    expect(viaProject).toHaveLength(1); // the directive hid the first error only
    expect(viaProject[0]).toContain(":2322:");
  }, 120_000);
});
