import { describe, expect, it } from "vitest";
import { markdown, type EngineResult, type TaskReport } from "../../bench/db-benchmark/report.js";
import { questionsOf } from "../../bench/db-benchmark/questions.js";

const run = (seconds: number) => ({ run: 1, seconds, peakRssMb: 100, rows: 2, checksum: [3] });
const engine = (name: string, seconds: number): EngineResult => ({
  engine: name, loadSeconds: 1, runs: { q1: [run(seconds * 2), run(seconds)] }, errors: {},
});
const report = (engines: EngineResult[]): TaskReport => ({
  task: "groupby", n: 1e7, questions: questionsOf("groupby").filter((q) => q.id === "q1"), engines,
});

/** The rows of the time table: from its header to the load row. */
function timeTable(md: string): string[][] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| q | question"));
  const end = lines.findIndex((l, i) => i > start && l.startsWith("| load"));
  return lines.slice(start, end + 1).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
}

describe("benchmark report markdown", () => {
  it("has no ratio columns when only kindling ran", () => {
    const table = timeTable(markdown([report([engine("kindling", 0.5)])], {}));
    expect(table[0]).toEqual(["q", "question", "kindling"]);
    for (const row of table) expect(row).toHaveLength(3);
    expect(table[2]).toEqual(["q1", expect.any(String), "0.500"]);
  });

  it("has no ratio columns when kindling did not run", () => {
    const table = timeTable(markdown([report([engine("duckdb", 0.25), engine("polars", 1)])], {}));
    expect(table[0]).toEqual(["q", "question", "duckdb", "polars"]);
    for (const row of table) expect(row).toHaveLength(4);
  });

  it("gives kindling's time over each peer's, and every row as many cells as the header", () => {
    const table = timeTable(markdown([report([engine("kindling", 0.5), engine("duckdb", 0.25), engine("polars", 1)])], {}));
    expect(table[0]).toEqual(["q", "question", "kindling", "duckdb", "polars", "kindling / duckdb", "kindling / polars"]);
    for (const row of table) expect(row).toHaveLength(7);
    expect(table[2]!.slice(5)).toEqual(["2.00x", "0.50x"]);
  });
});
