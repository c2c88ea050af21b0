/**
 * A partial aggregate over nearly unique keys stops grouping after the probe and passes rows on as
 * state rows; over few keys it keeps grouping. Either way partial + final equals complete.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Batch } from "../../../../runtime/batch/column.js";
import { Types } from "../../../../runtime/expr/types.js";
import type { AggregateCall, PhysicalPlan } from "../../../../runtime/physical/plan.js";
import { skipPartialPolicy } from "../../../../runtime/worker/operators/aggregate/skip-partial.js";
import { agg, col, collect, fakeContext, id, rowsOf, schemaOf, sortRows, table, type Row } from "../../operators/helpers.js";

const schema = schemaOf({ k: Types.string, g: Types.int32, v: Types.int32, f: Types.float64 });
const aggs: AggregateCall[] = [
  agg("count", "n"), agg("sum", "sv", ["v"]), agg("sum", "sf", ["f"]), agg("avg", "af", ["f"]), agg("max", "mv", ["v"]),
  agg("min", "mk", ["k"]), agg("stddev", "sd", ["f"]), agg("median", "md", ["f"]), agg("first", "fv", ["v"]),
];

function makeRows(n: number, distinctKeys: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const key = (i * 7919) % distinctKeys;
    rows.push({ k: key % 11 === 0 ? null : `s${key % 5}`, g: key, v: i % 4 === 0 ? null : (i * 37) % 101 - 50, f: i % 6 === 0 ? null : ((i * 13) % 97) / 4 });
  }
  return rows;
}

function node(mode: "partial" | "final" | "complete", input: PhysicalPlan, keys: string[]): PhysicalPlan {
  return { kind: "HashAggregateExec", id: id(), mode, input, keys: keys.map(col), aggs, schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 1 } };
}

function rounded(rows: Row[]): Row[] {
  return sortRows(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 1e6) / 1e6 : v]))));
}

async function partialThenFinal(rows: Row[], keys: string[], batchSize: number): Promise<{ stateRows: number; answer: Row[]; complete: Row[] }> {
  const t = table("t", schema, [rows], batchSize);
  const partial = node("partial", t.node, keys);
  const states: Batch[] = await collect(partial, fakeContext({ tables: t.tables }));
  const exchange: PhysicalPlan = { kind: "ShuffleExchangeExec", id: id(), input: partial, partitioning: { kind: "single" }, schema: states[0]!.schema, outputPartitioning: { kind: "single" } };
  const answer = await rowsOf(node("final", exchange, keys), fakeContext({ exchanges: { [exchange.id]: states } }));
  const complete = await rowsOf(node("complete", t.node, keys), fakeContext({ tables: t.tables }));
  return { stateRows: states.reduce((s, b) => s + b.length, 0), answer, complete };
}

describe("HashAggregateExec partial mode skips grouping when it does not reduce", () => {
  const saved = { ...skipPartialPolicy };
  afterEach(() => Object.assign(skipPartialPolicy, saved));

  it.each([40, 1000])("nearly unique keys in batches of %i: after the probe every row passes on as its own state row, and the final answer is unchanged", async (batchSize) => {
    skipPartialPolicy.probeRows = 100;
    const rows = makeRows(1000, 900); // the first 900 rows are distinct, then keys repeat
    const { stateRows, answer, complete } = await partialThenFinal(rows, ["g", "k"], batchSize);
    expect(stateRows).toBe(1000); // grouping would have given 900
    expect(answer.length).toBe(900);
    expect(rounded(answer)).toEqual(rounded(complete));
  });

  it.each([[["g"], 40], [["g"], 1000], [["k", "g"], 1000], [["v"], 1000], [["v"], 37]])("few keys (%j, batches of %i): the probe keeps grouping, so the partial output is one row per group", async (keys, batchSize) => {
    skipPartialPolicy.probeRows = 100;
    const rows = makeRows(1000, 20);
    const { stateRows, answer, complete } = await partialThenFinal(rows, keys as string[], batchSize as number);
    expect(stateRows).toBe(complete.length);
    expect(stateRows).toBeLessThan(200);
    expect(rounded(answer)).toEqual(rounded(complete));
  });

  it("below the probe size nothing is skipped, even with unique keys", async () => {
    skipPartialPolicy.probeRows = 5000;
    const { stateRows, answer, complete } = await partialThenFinal(makeRows(300, 250), ["g", "k"], 32);
    expect(stateRows).toBe(250);
    expect(rounded(answer)).toEqual(rounded(complete));
  });
});
