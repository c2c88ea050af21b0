/**
 * Kindling: the Arrow IPC file read with session.read.arrow (record batch by record batch into the
 * engine's shared memory, string columns dictionary-encoded per partition by the workers),
 * questions with the DataFrame API, answers materialized with toArrow().
 *
 * Load is everything the engine needs before the first question: read.arrow is eager (the table
 * is registered when it resolves), so nothing is left to be charged to run 1 of the first question.
 */
import type { Table } from "apache-arrow";
import { col, F, session, Window, type DataFrame } from "../../../runtime/index.js";
import type { Answer, Question, Task } from "../questions.js";
import type { DataFiles, EngineRunner } from "./runner.js";

function sumColumn(table: Table, name: string): number {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`answer has no column ${name}`);
  let total = 0;
  for (const v of vector) {
    if (v === null || v === undefined) continue;
    const n = Number(v);
    if (!Number.isNaN(n)) total += n;
  }
  return total;
}

export interface KindlingRunnerOptions {
  /** Per-worker memory budget in MB before operators spill (the session's memoryBudget); default unlimited. */
  readonly memoryBudgetMb?: number;
}

export async function createKindlingRunner(threads: number, options: KindlingRunnerOptions = {}): Promise<EngineRunner> {
  const budget = options.memoryBudgetMb;
  const s = session({ workers: threads, ...(budget !== undefined && budget > 0 ? { memoryBudget: budget * 1024 * 1024 } : {}) });
  const tables: Record<string, DataFrame> = {};
  let ans: Table | undefined;
  const t = (name: string): DataFrame => {
    const df = tables[name];
    if (!df) throw new Error(`table ${name} not loaded`);
    return df;
  };
  const r2 = () => {
    const corr = F.corr("v1", "v2");
    return t("x").groupBy("id2", "id4").agg(corr.mul(corr).alias("r2"));
  };
  // Like db-benchmark's SQL: the right table's other id columns come back as <table>_<id>.
  const joinSelect = (other: string, on: string, how: "inner" | "left") => {
    let right = t(other);
    for (const name of right.columns) if (name !== on && name !== "v2") right = right.withColumnRenamed(name, `${other}_${name}`);
    return t("x").join(right, { on, how });
  };
  const questions: Record<string, () => DataFrame> = {
    "groupby/q1": () => t("x").groupBy("id1").agg(F.sum("v1").alias("v1")),
    "groupby/q2": () => t("x").groupBy("id1", "id2").agg(F.sum("v1").alias("v1")),
    "groupby/q3": () => t("x").groupBy("id3").agg(F.sum("v1").alias("v1"), F.avg("v3").alias("v3")),
    "groupby/q4": () => t("x").groupBy("id4").agg(F.avg("v1").alias("v1"), F.avg("v2").alias("v2"), F.avg("v3").alias("v3")),
    "groupby/q5": () => t("x").groupBy("id6").agg(F.sum("v1").alias("v1"), F.sum("v2").alias("v2"), F.sum("v3").alias("v3")),
    "groupby/q6": () => t("x").groupBy("id4", "id5").agg(F.median("v3").alias("median_v3"), F.stddev("v3").alias("sd_v3")),
    "groupby/q7": () => t("x").groupBy("id3").agg(F.max("v1").sub(F.min("v2")).alias("range_v1_v2")),
    "groupby/q8": () =>
      t("x")
        .filter(col("v3").isNotNull())
        .withColumn("order_v3", F.rowNumber().over(Window.partitionBy("id6").orderBy(col("v3").desc())))
        .filter(col("order_v3").le(2))
        .select(col("id6"), col("v3").alias("largest2_v3")),
    "groupby/q9": r2,
    "groupby/q10": () =>
      t("x").groupBy("id1", "id2", "id3", "id4", "id5", "id6").agg(F.sum("v3").alias("v3"), F.count().alias("count")),
    "join/q1": () => joinSelect("small", "id1", "inner"),
    "join/q2": () => joinSelect("medium", "id2", "inner"),
    "join/q3": () => joinSelect("medium", "id2", "left"),
    "join/q4": () => joinSelect("medium", "id5", "inner"),
    "join/q5": () => joinSelect("big", "id3", "inner"),
  };
  return {
    name: "kindling",
    version: "0.1.0",
    async load(_task: Task, files: DataFiles) {
      // One table at a time; the driver holds each table once (shared memory), never an Arrow copy beside it.
      for (const [name, path] of Object.entries(files.tables)) {
        tables[name] = await s.read.arrow(`${path}.arrow`);
        (globalThis as { gc?: () => void }).gc?.();
      }
    },
    async run(question: Question) {
      const build = questions[`${question.task}/${question.id}`];
      if (!build) throw new Error(`kindling runner has no ${question.task} ${question.id}`);
      ans = await build().toArrow();
    },
    async answer(question: Question): Promise<Answer> {
      if (!ans) throw new Error("no answer yet");
      const table = ans;
      return { rows: table.numRows, checksum: question.checksum.map((c) => sumColumn(table, c)) };
    },
    async release() {
      ans = undefined;
    },
    async close() {
      await s.stop();
    },
  };
}
