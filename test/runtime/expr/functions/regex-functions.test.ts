import { describe, expect, it } from "vitest";
import { UserError } from "../../../../runtime/expr/kernels/errors.js";
import { Types } from "../../../../runtime/expr/types.js";
import { batchOf, call, col, evalExpr, i32, str } from "../kernels/helpers.js";

const b = batchOf({ s: [Types.string, ["user=ann id=42", "id=7", null, "none", "a_b%c"]] });

describe("like / rlike", () => {
  it("like matches the whole value with % and _", () => {
    expect(evalExpr(call("like", col("s"), str("id=%")), b)).toEqual([false, true, null, false, false]);
    expect(evalExpr(call("like", col("s"), str("%id=__")), b)).toEqual([true, false, null, false, false]);
    expect(evalExpr(call("like", col("s"), str("n_n%")), b)).toEqual([false, false, null, true, false]);
  });
  it("like escapes with a backslash and treats regex characters literally", () => {
    expect(evalExpr(call("like", col("s"), str("a\\_b\\%c")), b)).toEqual([false, false, null, false, true]);
    expect(evalExpr(call("like", col("s"), str("a.b%")), b)).toEqual([false, false, null, false, false]);
  });
  it("rlike matches anywhere", () => {
    expect(evalExpr(call("rlike", col("s"), str("id=\\d+")), b)).toEqual([true, true, null, false, false]);
    expect(evalExpr(call("rlike", col("s"), str("^id")), b)).toEqual([false, true, null, false, false]);
  });
});

describe("regexp_extract / regexp_replace", () => {
  it("extracts a group; no match gives an empty string", () => {
    expect(evalExpr(call("regexp_extract", col("s"), str("id=(\\d+)"), i32(1)), b)).toEqual(["42", "7", null, "", ""]);
    expect(evalExpr(call("regexp_extract", col("s"), str("(\\w+)=(\\w+)")), b)).toEqual(["user", "id", null, "", ""]);
    expect(evalExpr(call("regexp_extract", col("s"), str("(\\w+)=(\\w+)"), i32(0)), b)).toEqual(["user=ann", "id=7", null, "", ""]);
  });
  it("asking for a missing group is a user error", () => {
    expect(() => evalExpr(call("regexp_extract", col("s"), str("id=(\\d+)"), i32(3)), b)).toThrow(/group 3 does not exist/);
  });
  it("replaces every match with group references", () => {
    expect(evalExpr(call("regexp_replace", col("s"), str("(\\w+)=(\\w+)"), str("$2:$1")), b)).toEqual(["ann:user 42:id", "7:id", null, "none", "a_b%c"]);
    expect(evalExpr(call("regexp_replace", col("s"), str("[^0-9]"), str("")), b)).toEqual(["42", "7", null, "", ""]);
  });
  it("an invalid pattern is a UserError naming the pattern", () => {
    expect(() => evalExpr(call("rlike", col("s"), str("(unclosed")), b)).toThrow(UserError);
    expect(() => evalExpr(call("rlike", col("s"), str("(unclosed")), b)).toThrow(/rlike: invalid regular expression "\(unclosed"/);
  });
});

describe("split", () => {
  const s = batchOf({ s: [Types.string, ["a,b,,c", "one", null, "x,y,"]] });
  it("splits on a regex and keeps empty parts", () => {
    expect(evalExpr(call("split", col("s"), str(",")), s)).toEqual([["a", "b", "", "c"], ["one"], null, ["x", "y", ""]]);
  });
  it("with a limit the last part keeps the rest", () => {
    expect(evalExpr(call("split", col("s"), str(","), i32(2)), s)).toEqual([["a", "b,,c"], ["one"], null, ["x", "y,"]]);
  });
  it("returns list<string>", async () => {
    const { compileExpr } = await import("../../../../runtime/expr/kernels/compile.js");
    expect(compileExpr(call("split", col("s"), str(",")), s.schema).type).toEqual(Types.list(Types.string));
  });
});

describe("like on bytes (patterns with only %)", () => {
  const s = batchOf({ s: [Types.string, ["abc", "xabcx", "ab", "ébc", null, "a-b-c", ""]] });
  it("prefix, suffix, infix, several segments and exact text", () => {
    expect(evalExpr(call("like", col("s"), str("ab%")), s)).toEqual([true, false, true, false, null, false, false]);
    expect(evalExpr(call("like", col("s"), str("%bc")), s)).toEqual([true, false, false, true, null, false, false]);
    expect(evalExpr(call("like", col("s"), str("%bc%")), s)).toEqual([true, true, false, true, null, false, false]);
    expect(evalExpr(call("like", col("s"), str("a%b%c")), s)).toEqual([true, false, false, false, null, true, false]);
    expect(evalExpr(call("like", col("s"), str("abc")), s)).toEqual([true, false, false, false, null, false, false]);
    expect(evalExpr(call("like", col("s"), str("%")), s)).toEqual([true, true, true, true, null, true, true]);
    expect(evalExpr(call("like", col("s"), str("a%a")), batchOf({ s: [Types.string, ["a", "aa", "aba"]] }))).toEqual([false, true, true]);
  });
  it("a pattern from a column is matched per row", () => {
    const p = batchOf({ s: [Types.string, ["abc", "abc"]], p: [Types.string, ["a%", "b%"]] });
    expect(evalExpr(call("like", col("s"), col("p")), p)).toEqual([true, false]);
  });
});
