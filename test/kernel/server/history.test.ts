import { describe, expect, it } from "vitest";
import { History } from "../../../kernel/server/history.js";

function filled(): History {
  const history = new History();
  ["const a = 1", "a + 1", "console.log(a)", "a + 1"].forEach((code, i) => history.record(i + 1, code));
  return history;
}

describe("history", () => {
  it("tail returns the last n entries as [session, line, input]", () => {
    expect(filled().query({ hist_access_type: "tail", n: 2 })).toEqual([
      [1, 3, "console.log(a)"],
      [1, 4, "a + 1"],
    ]);
  });

  it("range is half-open on line numbers", () => {
    expect(filled().query({ hist_access_type: "range", session: 0, start: 2, stop: 4 }).map((row) => row[1])).toEqual([2, 3]);
  });

  it("search matches a glob and can drop duplicates", () => {
    const history = filled();
    expect(history.query({ hist_access_type: "search", pattern: "a +*" }).map((row) => row[1])).toEqual([2, 4]);
    expect(history.query({ hist_access_type: "search", pattern: "a +*", unique: true }).map((row) => row[1])).toEqual([4]);
  });

  it("with output=true pairs each input with its output", () => {
    expect(filled().query({ hist_access_type: "tail", n: 1, output: true })).toEqual([[1, 4, ["a + 1", null]]]);
  });
});
