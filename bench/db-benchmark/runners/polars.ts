/**
 * Polars through nodejs-polars: Arrow IPC read natively, questions with the eager DataFrame API (as
 * db-benchmark's polars solution). nodejs-polars lives in bench/peers (installed by `npm run bench`),
 * not in the project's dependencies: it names platform packages the registry does not serve, which
 * breaks `npm ci` for everyone. So it is loaded at run time and typed by the little we use.
 */
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Answer, Question, Task } from "../questions.js";
import type { DataFiles, EngineRunner } from "./runner.js";

interface Expr {
  sum(): Expr;
  mean(): Expr;
  median(): Expr;
  std(): Expr;
  max(): Expr;
  min(): Expr;
  head(n: number): Expr;
  pow(n: number): Expr;
  sub(other: Expr): Expr;
  alias(name: string): Expr;
}
interface GroupBy {
  agg(...exprs: Expr[]): Frame;
}
interface Frame {
  readonly height: number;
  groupBy(keys: string | string[]): GroupBy;
  dropNulls(column: string): Frame;
  sort(column: string, descending: boolean): Frame;
  explode(column: string): Frame;
  join(other: Frame, options: { on: string; how?: "inner" | "left" }): Frame;
  getColumn(name: string): { toArray(): unknown[] };
}
interface Pl {
  col(name: string): Expr;
  len(): Expr;
  pearsonCorr(a: string, b: string): Expr;
  scanIPC(path: string): { collectSync(): Frame };
}

/** bench/peers, from dist/bench/db-benchmark/runners. */
const peers = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../bench/peers");

function sumOf(frame: Frame, column: string): number {
  const values = frame.getColumn(column).toArray() as (number | bigint | null)[];
  let total = 0;
  for (const v of values) if (v !== null && !Number.isNaN(Number(v))) total += Number(v);
  return total;
}

export async function createPolarsRunner(): Promise<EngineRunner> {
  const require = createRequire(join(peers, "package.json"));
  let pl: Pl;
  try {
    pl = require("nodejs-polars") as Pl;
  } catch (error) {
    throw new Error(`nodejs-polars is not installed in ${peers}: run "npm install --prefix bench/peers" (npm run bench does it). ${(error as Error).message}`);
  }
  const version = (require("nodejs-polars/package.json") as { version: string }).version;
  const tables: Record<string, Frame> = {};
  let ans: Frame | undefined;
  const t = (name: string): Frame => {
    const frame = tables[name];
    if (!frame) throw new Error(`table ${name} not loaded`);
    return frame;
  };
  const col = pl.col;

  const questions: Record<string, () => Frame> = {
    "groupby/q1": () => t("x").groupBy("id1").agg(col("v1").sum()),
    "groupby/q2": () => t("x").groupBy(["id1", "id2"]).agg(col("v1").sum()),
    "groupby/q3": () => t("x").groupBy("id3").agg(col("v1").sum(), col("v3").mean()),
    "groupby/q4": () => t("x").groupBy("id4").agg(col("v1").mean(), col("v2").mean(), col("v3").mean()),
    "groupby/q5": () => t("x").groupBy("id6").agg(col("v1").sum(), col("v2").sum(), col("v3").sum()),
    "groupby/q6": () => t("x").groupBy(["id4", "id5"]).agg(col("v3").median().alias("median_v3"), col("v3").std().alias("sd_v3")),
    "groupby/q7": () => t("x").groupBy("id3").agg(col("v1").max().sub(col("v2").min()).alias("range_v1_v2")),
    "groupby/q8": () =>
      t("x").dropNulls("v3").sort("v3", true).groupBy("id6").agg(col("v3").head(2).alias("largest2_v3")).explode("largest2_v3"),
    "groupby/q9": () => t("x").groupBy(["id2", "id4"]).agg(pl.pearsonCorr("v1", "v2").pow(2).alias("r2")),
    "groupby/q10": () =>
      t("x").groupBy(["id1", "id2", "id3", "id4", "id5", "id6"]).agg(col("v3").sum().alias("v3"), pl.len().alias("count")),
    "join/q1": () => t("x").join(t("small"), { on: "id1" }),
    "join/q2": () => t("x").join(t("medium"), { on: "id2" }),
    "join/q3": () => t("x").join(t("medium"), { on: "id2", how: "left" }),
    "join/q4": () => t("x").join(t("medium"), { on: "id5" }),
    "join/q5": () => t("x").join(t("big"), { on: "id3" }),
  };

  return {
    name: "polars",
    version,
    async load(_task: Task, files: DataFiles) {
      // readIPC(path) fails on this version with "InvalidFooter", and readIPC(bytes) needs the file
      // in one Buffer (readFileSync stops at 2 GiB; the 1e8 files are 5-6 GB). The lazy scan reads
      // the file natively (and at 1e6 was faster than readIPC(bytes): 0.44 vs 0.78 s).
      for (const [name, path] of Object.entries(files.tables)) tables[name] = pl.scanIPC(`${path}.arrow`).collectSync();
    },
    async run(question: Question) {
      const build = questions[`${question.task}/${question.id}`];
      if (!build) throw new Error(`polars runner has no ${question.task} ${question.id}`);
      ans = build();
    },
    async answer(question: Question): Promise<Answer> {
      if (!ans) throw new Error("no answer yet");
      const frame = ans;
      return { rows: frame.height, checksum: question.checksum.map((c) => sumOf(frame, c)) };
    },
    async release() {
      ans = undefined;
    },
    async close() {
      ans = undefined;
    },
  };
}
