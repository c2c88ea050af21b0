/**
 * F.corr / F.covarPop / F.covarSamp through the whole engine (groupBy with partial and final
 * aggregation across two workers, and a global aggregate), against DuckDB's corr / covar_pop /
 * covar_samp on the same random rows with nulls on either side, tiny groups and a constant group.
 */
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { F, session } from "../../../runtime/index.js";

const s = session({ workers: 2 });

function rng(seed: number): () => number {
  let st = seed;
  return () => { st = (st * 1103515245 + 12345) % 2147483648; return st / 2147483648; };
}

type Row = { g: number; a: number | null; b: number | null; x: number | null };

function makeRows(n: number): Row[] {
  const r = rng(42);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const g = Math.floor(r() * 12);
    const a = Math.floor(r() * 100);
    const x = Math.round((a * 0.75 + r() * 40) * 4) / 4;
    rows.push({ g, a: r() < 0.15 ? null : a, b: g === 11 ? 7 : r() < 0.15 ? null : Math.floor(r() * 100) - a, x: r() < 0.1 ? null : x });
  }
  rows.push({ g: 20, a: 1, b: 2, x: 3 }); // a group of one row
  rows.push({ g: 21, a: null, b: 2, x: null }); // a group with no complete pair
  return rows;
}

const rows = makeRows(4000);
const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
const duck = await instance.connect();
await duck.run("CREATE TABLE t (g INTEGER, a INTEGER, b INTEGER, x DOUBLE)");
const sqlValue = (v: number | null) => (v === null ? "NULL" : String(v));
await duck.run(`INSERT INTO t VALUES ${rows.map((r) => `(${r.g}, ${sqlValue(r.a)}, ${sqlValue(r.b)}, ${sqlValue(r.x)})`).join(", ")}`);
afterAll(() => duck.closeSync());

type Out = Record<string, unknown>;
const canon = (v: unknown): string => (v === null || v === undefined ? "null" : Number(Number(v).toPrecision(9)).toString());
const key = (row: Out, cols: readonly string[]) => cols.map((c) => `${c}=${canon(row[c])}`).join(" ");

/**
 * DuckDB answers NaN where corr divides by a zero variance (one row, or a constant side); Spark
 * answers null there (its division by zero is null), and Kindling follows Spark, so DuckDB's NaN
 * is read as null. Nothing else in these results can be NaN.
 */
async function duckRows(sql: string): Promise<Out[]> {
  const out = (await duck.runAndReadAll(sql)).getRowObjectsJS() as Out[];
  return out.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "number" && Number.isNaN(v) ? null : v])));
}

describe("corr / covar_pop / covar_samp agree with DuckDB", () => {
  const df = s.createDataFrame(rows, { g: "int32", a: "int32", b: "int32", x: "float64" }).repartition(3);
  const cols = ["g", "c_ax", "p_ax", "s_ax", "c_ab", "p_bx", "s_bx"];

  it("grouped, over int32 and float64 columns with nulls, one-row and constant groups", async () => {
    const ours = await df.groupBy("g").agg(
      F.corr("a", "x").alias("c_ax"), F.covarPop("a", "x").alias("p_ax"), F.covarSamp("a", "x").alias("s_ax"),
      F.corr("a", "b").alias("c_ab"), F.covar_pop("b", "x").alias("p_bx"), F.covar_samp("b", "x").alias("s_bx"),
    ).collect();
    const theirs = await duckRows(`SELECT g, corr(a, x) c_ax, covar_pop(a, x) p_ax, covar_samp(a, x) s_ax,
      corr(a, b) c_ab, covar_pop(b, x) p_bx, covar_samp(b, x) s_bx FROM t GROUP BY g`);
    expect(ours.length).toBe(14);
    expect(ours.map((r) => key(r, cols)).sort()).toEqual(theirs.map((r) => key(r, cols)).sort());
    // The constant group (b = 7) has a zero variance: corr is null there, as in Spark.
    expect(ours.find((r) => r["g"] === 11)?.["c_ab"]).toBeNull();
  });

  it("as a global aggregate and squared, as db-benchmark q9 asks", async () => {
    const ours = await df.agg(F.corr("a", "x").mul(F.corr("a", "x")).alias("r2"), F.covarSamp("x", "a").alias("s")).collect();
    const theirs = await duckRows("SELECT corr(a, x) * corr(a, x) r2, covar_samp(x, a) s FROM t");
    expect(ours.map((r) => key(r, ["r2", "s"]))).toEqual(theirs.map((r) => key(r, ["r2", "s"])));
  });

  it("is reachable from SQL text (F.expr) with the same answer", async () => {
    const [viaSql] = await df.agg(F.expr("corr(a, x)").alias("c"), F.expr("covar_samp(b, x)").alias("s")).collect();
    const [viaF] = await df.agg(F.corr("a", "x").alias("c"), F.covarSamp("b", "x").alias("s")).collect();
    expect(viaSql).toEqual(viaF);
    expect(typeof viaSql?.["c"]).toBe("number");
  });

  it("explains a wrong argument type with the function's name", () => {
    expect(() => df.groupBy("g").agg(F.corr("a", F.lit("text")).alias("c")).schema).toThrow(/corr needs two numeric columns/);
  });
});
