/**
 * Random expressions over every type, on rows with nulls, int64 beyond 2^53 and pre-1970 dates:
 * whatever the analyzer accepts, the optimizer, planner and workers must run (the analyzer's casts
 * and the kernels' signatures have to agree).
 */
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { col, Column, F, lit, session, when } from "../../../runtime/index.js";
import { exprToString } from "../../../runtime/expr/print.js";

const s = session({ workers: 2 });
afterAll(() => s.stop());
const df = s.createDataFrame([
  { i: 1, l: 5n, f: 1.5, s: "abc", b: true, d: "2024-01-01", t: "2024-01-01T10:00:00Z" },
  { i: null, l: null, f: null, s: null, b: null, d: null, t: null },
  { i: -3, l: 2n ** 60n, f: -0.0, s: "", b: false, d: "1969-12-31", t: "1969-12-31T23:59:59Z" },
], { i: "int32", l: "int64", f: "float64", s: "string", b: "bool", d: "date", t: "timestamp" });
const leaf: fc.Arbitrary<Column> = fc.oneof(
  fc.constantFrom("i", "l", "f", "s", "b", "d", "t").map((n) => col(n)),
  fc.integer({ min: -5, max: 5 }).map((n) => lit(n)),
  fc.double({ noNaN: true, min: -10, max: 10 }).map((n) => lit(n)),
  fc.constantFrom("x", "2024-01-01", "12").map((v) => lit(v)),
  fc.boolean().map((v) => lit(v)),
  fc.constant(lit(null)),
);
const expr: fc.Arbitrary<Column> = fc.letrec<{ e: Column }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.tuple(tie("e"), fc.constantFrom("add", "sub", "mul", "div", "mod", "eq", "lt", "ge", "and", "or", "eqNullSafe"), tie("e")).map(
      ([a, op, b]) => (a as unknown as Record<string, (x: Column) => Column>)[op]!.call(a, b),
    ),
    tie("e").map((a) => a.not()),
    tie("e").map((a) => a.isNull()),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, x, y]) => when(c, x).otherwise(y)),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => F.coalesce(a, b)),
    fc.tuple(tie("e"), fc.constantFrom("int64", "float64", "string", "date", "bool", "int32", "timestamp")).map(([a, t]) => a.cast(t)),
    tie("e").map((a) => F.upper(a)),
    tie("e").map((a) => F.year(a)),
    tie("e").map((a) => F.length(a)),
    tie("e").map((a) => a.isin(1, 2)),
  ),
})).e;
it("runs every analyzable random expression without an engine error", async () => {
  const failures = new Map<string, string>();
  const samples = fc.sample(expr, { numRuns: 250, seed: 11 });
  let ran = 0;
  for (const c of samples) {
    let q;
    try { q = df.select(c.alias("out")); } catch { continue; }
    ran++;
    try { await q.collect(); } catch (e) {
      const msg = (e as Error).message.replace(/Job \d+/, "Job").slice(0, 200);
      if (!failures.has(msg)) failures.set(msg, exprToString(c.expr));
    }
  }
  expect(ran).toBeGreaterThan(40);
  expect([...failures].map(([message, expression]) => `${message} <- ${expression}`)).toEqual([]);
}, 120_000);
