/**
 * "Top k per group" queries (a filter on row_number / rank / dense_rank) answered by Kindling,
 * where InferWindowGroupLimit puts a partial and a final WindowGroupLimitExec around the shuffle,
 * compared with DuckDB on data with ties and nulls in the partition and order keys, under 1 and
 * 3 input partitions and with a tiny memory budget (the limit then lets rows through).
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, F, session, Window, type Column, type DataFrame } from "../../../runtime/index.js";
import { canonicalRows } from "../differential/oracle.js";

type Row = { seq: number; p: number | null; s: string | null; v: number | null; o: number };

/** Deterministic pseudo-random rows: ~40 int groups, 5 string groups, many ties, nulls everywhere. */
function makeRows(n: number): Row[] {
  let x = 12345;
  const next = (m: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % m; };
  return Array.from({ length: n }, (_, seq) => ({
    seq,
    p: next(17) === 0 ? null : next(40),
    s: next(11) === 0 ? null : ["a", "b", "c", "dd", "e"][next(5)]!,
    v: next(9) === 0 ? null : next(30) * 0.5,
    o: next(4),
  }));
}

type Fn = "row_number" | "rank" | "dense_rank";
interface Query { fn: Fn; part: "p" | "s"; order: "v_desc" | "v_asc" | "s_o"; filter: "le2" | "lt3" | "eq1" | "le2_and_v" }

const ORDER_SQL = { v_desc: "v DESC NULLS LAST", v_asc: "v ASC NULLS FIRST", s_o: "s DESC NULLS FIRST, o ASC NULLS FIRST" } as const;
const FILTER_SQL = { le2: "w <= 2", lt3: "w < 3", eq1: "w = 1", le2_and_v: "w <= 2 AND v > 3" } as const;

function toSql(q: Query): string {
  // row_number needs a total order to be deterministic: seq breaks ties (also in Kindling).
  const order = ORDER_SQL[q.order] + (q.fn === "row_number" ? ", seq" : "");
  return `SELECT seq, p, s, v, o, w FROM (SELECT *, ${q.fn}() OVER (PARTITION BY ${q.part} ORDER BY ${order}) AS w FROM t) WHERE ${FILTER_SQL[q.filter]}`;
}

function toKindling(q: Query, t: DataFrame): DataFrame {
  const orders: Column[] = q.order === "v_desc" ? [col("v").desc()] : q.order === "v_asc" ? [col("v").ascNullsFirst()] : [col("s").descNullsFirst(), col("o").ascNullsFirst()];
  if (q.fn === "row_number") orders.push(col("seq").ascNullsFirst());
  const spec = Window.partitionBy(q.part).orderBy(...orders);
  const fn = q.fn === "row_number" ? F.rowNumber() : q.fn === "rank" ? F.rank() : F.denseRank();
  const w = t.withColumn("w", fn.over(spec));
  const pred = q.filter === "le2" ? col("w").le(2) : q.filter === "lt3" ? col("w").lt(3) : q.filter === "eq1" ? col("w").eq(1) : col("w").le(2).and(col("v").gt(3));
  return w.filter(pred).select("seq", "p", "s", "v", "o", "w");
}

const queries: Query[] = (["row_number", "rank", "dense_rank"] as const).flatMap((fn) =>
  (["p", "s"] as const).flatMap((part) =>
    (["v_desc", "v_asc", "s_o"] as const).flatMap((order) => (["le2", "lt3", "eq1", "le2_and_v"] as const).map((filter) => ({ fn, part, order, filter })))),
);

const rows = makeRows(3000);
const SCHEMA = { seq: "int32", p: "int32", s: "string", v: "float64", o: "int32" } as const;
let duck: DuckDBConnection;
const expected = new Map<string, string[]>();

describe("top k per group: Kindling with WindowGroupLimit vs DuckDB", () => {
  beforeAll(async () => {
    duck = await (await DuckDBInstance.create(":memory:", { threads: "1" })).connect();
    await duck.run("CREATE TABLE t (seq INTEGER, p INTEGER, s VARCHAR, v DOUBLE, o INTEGER)");
    const lit = (x: unknown) => (x === null ? "NULL" : typeof x === "string" ? `'${x}'` : String(x));
    await duck.run(`INSERT INTO t VALUES ${rows.map((r) => `(${[r.seq, r.p, r.s, r.v, r.o].map(lit).join(", ")})`).join(", ")}`);
    for (const q of queries) {
      const reader = await duck.runAndReadAll(toSql(q));
      expected.set(toSql(q), canonicalRows(reader.getRowObjectsJS() as Record<string, unknown>[], false));
    }
  });
  afterAll(() => duck?.closeSync());

  for (const config of [{ partitions: 1 }, { partitions: 3 }, { partitions: 3, memoryBudget: 2048 }]) {
    it(`${queries.length} queries agree: ${config.partitions} partition(s)${config.memoryBudget ? ", tiny memory budget" : ""}`, async () => {
      const s = session({ workers: 2, shufflePartitions: 4, ...(config.memoryBudget ? { memoryBudget: config.memoryBudget } : {}) });
      try {
        const t = s.createDataFrame(rows, SCHEMA).repartition(config.partitions);
        for (const q of queries) {
          const df = toKindling(q, t);
          // Several input partitions: each map task limits its rows before the shuffle too.
          expect(df.explainString(), toSql(q)).toContain(config.partitions > 1 ? "Partial" : "WindowGroupLimit");
          const got = canonicalRows((await df.collect()) as Record<string, unknown>[], false);
          expect(got, toSql(q)).toEqual(expected.get(toSql(q)));
        }
      } finally {
        await s.stop();
      }
    }, 300_000);
  }
});
