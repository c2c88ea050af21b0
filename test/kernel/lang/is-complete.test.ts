import { describe, expect, it } from "vitest";
import { isCompleteCode } from "../../../kernel/lang/is-complete.js";

describe("is_complete", () => {
  it.each(["1 + 1", "const x = { a: [1, 2] };", "", "// just a comment", "if (x) { y() }", "const re = /[(]/; a / b", "%strict on\nconst x = 1"])(
    "says complete for %j",
    (code) => {
      expect(isCompleteCode(code)).toEqual({ status: "complete" });
    },
  );

  it.each([
    ["foo(", "  "],
    ["%strict on\nfoo(", "  "],
    ["if (ready) {", "  "],
    ["const m = {\n  a: [", "    "],
    ["1 +", "  "],
    ["x.", "  "],
    ["const t = `sum: ${", "  "],
    ["const t = `line one", "  "],
    ["/* a comment", "  "],
    ['const s = "abc\\', "  "],
  ])("says incomplete for %j with indent %j", (code, indent) => {
    expect(isCompleteCode(code)).toEqual({ status: "incomplete", indent });
  });

  it.each(["1 +* 2", "let = ;", "foo())", 'const s = "abc', "const x = 1 2"])("says invalid for %j", (code) => {
    expect(isCompleteCode(code)).toEqual({ status: "invalid" });
  });
});
