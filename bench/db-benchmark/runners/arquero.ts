/** Arquero: the Arrow IPC file loaded with fromArrow, questions with its verbs (as the research harness ran it). */
import { createRequire } from "node:module";
import * as aq from "arquero";
import { readArrowFile } from "../arrow-file.js";
import type { Answer, Question, Task } from "../questions.js";
import type { DataFiles, EngineRunner } from "./runner.js";

type Table = ReturnType<typeof aq.table>;
const { op } = aq;

export async function createArqueroRunner(): Promise<EngineRunner> {
  const version = (createRequire(import.meta.url)("arquero/package.json") as { version: string }).version;
  const tables: Record<string, Table> = {};
  let ans: Table | undefined;
  const t = (name: string): Table => {
    const table = tables[name];
    if (!table) throw new Error(`table ${name} not loaded`);
    return table;
  };
  const questions: Record<string, () => Table> = {
    "groupby/q1": () => t("x").groupby("id1").rollup({ v1: op.sum("v1") }),
    "groupby/q2": () => t("x").groupby("id1", "id2").rollup({ v1: op.sum("v1") }),
    "groupby/q3": () => t("x").groupby("id3").rollup({ v1: op.sum("v1"), v3: op.mean("v3") }),
    "groupby/q4": () => t("x").groupby("id4").rollup({ v1: op.mean("v1"), v2: op.mean("v2"), v3: op.mean("v3") }),
    "groupby/q5": () => t("x").groupby("id6").rollup({ v1: op.sum("v1"), v2: op.sum("v2"), v3: op.sum("v3") }),
    "groupby/q6": () => t("x").groupby("id4", "id5").rollup({ median_v3: op.median("v3"), sd_v3: op.stdev("v3") }),
    "groupby/q7": () => t("x").groupby("id3").rollup({ range_v1_v2: "d => op.max(d.v1) - op.min(d.v2)" }),
    "groupby/q8": () =>
      t("x")
        .filter("d => d.v3 != null")
        .groupby("id6")
        .orderby(aq.desc("v3"))
        .filter(() => op.row_number() <= 2)
        .select("id6", { v3: "largest2_v3" }),
    "groupby/q9": () => t("x").groupby("id2", "id4").rollup({ r2: "d => op.corr(d.v1, d.v2) ** 2" }),
    "groupby/q10": () => t("x").groupby("id1", "id2", "id3", "id4", "id5", "id6").rollup({ v3: op.sum("v3"), count: op.count() }),
    "join/q1": () => t("x").join(t("small"), "id1"),
    "join/q2": () => t("x").join(t("medium"), "id2"),
    "join/q3": () => t("x").join_left(t("medium"), "id2"),
    "join/q4": () => t("x").join(t("medium"), "id5"),
    "join/q5": () => t("x").join(t("big"), "id3"),
  };
  return {
    name: "arquero",
    version,
    async load(_task: Task, files: DataFiles) {
      // Read batch by batch (readFileSync stops at 2 GiB; the 1e8 files are 5-6 GB). Arquero's
      // types name its own apache-arrow version; it reads the table through the same methods.
      for (const [name, path] of Object.entries(files.tables)) {
        tables[name] = aq.fromArrow((await readArrowFile(`${path}.arrow`)) as unknown as Parameters<typeof aq.fromArrow>[0]);
      }
    },
    async run(question: Question) {
      const build = questions[`${question.task}/${question.id}`];
      if (!build) throw new Error(`arquero runner has no ${question.task} ${question.id}`);
      // reify() materializes filtered/ordered views, like the other engines' answers.
      ans = build().reify();
    },
    async answer(question: Question): Promise<Answer> {
      if (!ans) throw new Error("no answer yet");
      const table = ans;
      const checksum = question.checksum.map((c) => {
        let total = 0;
        const column = table.column(c);
        if (!column) throw new Error(`answer has no column ${c}`);
        for (let i = 0; i < table.numRows(); i++) {
          const v = column.at(i) as number | null | undefined;
          if (v !== null && v !== undefined && !Number.isNaN(v)) total += Number(v);
        }
        return total;
      });
      return { rows: table.numRows(), checksum };
    },
    async release() {
      ans = undefined;
    },
    async close() {
      ans = undefined;
    },
  };
}
