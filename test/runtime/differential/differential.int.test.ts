/**
 * The differential suite: generated queries (filters, projections, every join type, group-bys,
 * distinct, window frames, sorts with limits) over null-heavy, duplicated, skewed string/date data,
 * run by Kindling under partitions {1, 3, 8} x workers {1, 2} x memory {unlimited, tiny: operators
 * spill past a 2 KiB budget and every shuffle block goes to disk}, each answer compared with DuckDB's. A failure is shrunk by fast-check to a minimal
 * case, printed with its SQL.
 * KINDLING_DIFF_RUNS overrides the number of queries per configuration (default 300).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { session, type DataFrame, type Session } from "../../../runtime/index.js";
import { canonicalRows, Oracle } from "./oracle.js";
import { caseArb, type Case } from "./query-model.js";
import { toKindling } from "./to-kindling.js";
import { toSql } from "./to-sql.js";

const RUNS = Number(process.env["KINDLING_DIFF_RUNS"] ?? 300);
const SEED = 20261125;
const TINY_BUDGET = 2 * 1024;

const T1_SCHEMA = { id: "int32", k: "int32", g: "string", v: "float64", n: "int64", d: "date" } as const;
const T2_SCHEMA = { k: "int32", h: "string", w: "float64" } as const;

const configs = [1, 3, 8].flatMap((partitions) =>
  [1, 2].flatMap((workers) => [undefined, TINY_BUDGET].map((memoryBudget) => ({ partitions, workers, memoryBudget }))),
);

let oracle: Oracle;
const spilledByConfig = new Map<string, { operators: number; shuffle: number }>();
const expected = new Map<string, string[]>();
const keyOf = (c: Case) => JSON.stringify(c, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

async function oracleAnswer(c: Case): Promise<string[]> {
  const key = keyOf(c);
  let rows = expected.get(key);
  if (!rows) {
    rows = await oracle.answer(c);
    expected.set(key, rows);
  }
  return rows;
}

async function kindlingAnswer(s: Session, c: Case, partitions: number): Promise<{ rows: string[]; spillBytes: number; shuffleSpillBytes: number }> {
  const t1: DataFrame = s.createDataFrame(c.t1, T1_SCHEMA).repartition(partitions);
  const t2: DataFrame = s.createDataFrame(c.t2, T2_SCHEMA).repartition(partitions);
  const df = toKindling(c.query, t1, t2);
  const rows = await df.collect();
  const tasks = (df.lastRun()?.stages ?? []).flatMap((stage) => stage.tasks);
  const spillBytes = tasks.reduce((n, t) => n + t.spillBytes, 0);
  const shuffleSpillBytes = tasks.reduce((n, t) => n + t.shuffleSpillBytes, 0);
  return { rows: canonicalRows(rows as Record<string, unknown>[], c.query.topK !== undefined), spillBytes, shuffleSpillBytes };
}

describe("differential: Kindling vs DuckDB on generated queries", () => {
  beforeAll(async () => {
    oracle = await Oracle.start();
  });
  afterAll(() => oracle?.close());

  for (const config of configs) {
    const label = `${config.partitions} partitions, ${config.workers} worker(s), ${config.memoryBudget ? `${config.memoryBudget / 1024} KiB budget, shuffles on disk` : "unlimited memory"}`;
    it(`${RUNS} queries agree with DuckDB: ${label}`, async () => {
      const s = session({ workers: config.workers, shufflePartitions: config.partitions, ...(config.memoryBudget ? { memoryBudget: config.memoryBudget, shuffleMemory: 0 } : {}) });
      const spilled = { operators: 0, shuffle: 0 };
      try {
        await fc.assert(
          fc.asyncProperty(caseArb, async (c) => {
            const want = await oracleAnswer(c);
            let got: string[];
            try {
              const answer = await kindlingAnswer(s, c, config.partitions);
              got = answer.rows;
              spilled.operators += answer.spillBytes;
              spilled.shuffle += answer.shuffleSpillBytes;
            } catch (error) {
              throw new Error(`Kindling failed on: ${toSql(c.query)}\n${(error as Error).stack ?? String(error)}`);
            }
            expect(got, `query: ${toSql(c.query)}`).toEqual(want);
          }),
          { seed: SEED, numRuns: RUNS },
        );
        spilledByConfig.set(label, spilled);
      } finally {
        await s.stop();
      }
    }, 600_000);
  }

  // The tiny budget must really push operators and shuffles to disk, or those configurations test nothing new.
  it("the tiny budget makes operators and shuffles spill to disk", () => {
    const tiny = [...spilledByConfig].filter(([label]) => label.includes("budget"));
    expect(tiny.length).toBe(configs.filter((c) => c.memoryBudget).length);
    for (const [label, bytes] of tiny) {
      expect(bytes.operators, `bytes operators spilled with ${label}`).toBeGreaterThan(0);
      expect(bytes.shuffle, `shuffle bytes spilled with ${label}`).toBeGreaterThan(0);
    }
    // And no budget, no operator spill (shuffles may still spill if the machine itself runs low).
    for (const [label, bytes] of spilledByConfig) if (!label.includes("budget")) expect(bytes.operators, label).toBe(0);
  });
});
