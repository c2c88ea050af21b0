/** docs/api.md is the API reference: every public function and method must appear in it. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Column, DataFrame, F, GroupedData, NaFunctions, Window } from "../../../runtime/index.js";

const doc = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8");
const methods = (proto: object) =>
  Object.getOwnPropertyNames(proto).filter((n) => n !== "constructor" && typeof Object.getOwnPropertyDescriptor(proto, n)?.value === "function");

describe("docs/api.md", () => {
  it("documents every F function with an example", () => {
    const snake = (n: string) => /_/.test(n) || n === "concatWS";
    const missing = Object.keys(F).filter((n) => !snake(n) && !doc.includes(`F.${n}(`));
    expect(missing).toEqual([]);
  });

  it("documents every DataFrame, GroupedData, na and Column method", () => {
    const internal = new Set(["withPlan", "next", "run", "toString"]);
    const missing = [
      ...methods(DataFrame.prototype).filter((n) => !internal.has(n)),
      ...methods(GroupedData.prototype).filter((n) => !["shortcut", "pivoted"].includes(n)),
      ...methods(NaFunctions.prototype).filter((n) => !["fields", "rewrite"].includes(n)),
      ...methods(Column.prototype).filter((n) => !["binary", "unary", "call", "sorted", "toString"].includes(n)),
    ].filter((n) => !doc.includes(`${n}(`));
    expect(missing).toEqual([]);
  });

  it("documents every Window member", () => {
    expect(Object.keys(Window).filter((n) => !doc.includes(`Window.${n}`))).toEqual([]);
  });
});
