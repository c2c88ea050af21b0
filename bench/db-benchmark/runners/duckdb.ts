/** DuckDB through @duckdb/node-api: CSV loaded into native tables, questions as SQL, answers as tables. */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { createRequire } from "node:module";
import type { Answer, Question, Task } from "../questions.js";
import type { DataFiles, EngineRunner } from "./runner.js";

const GROUPBY_TYPES = "{'id1': 'VARCHAR', 'id2': 'VARCHAR', 'id3': 'VARCHAR', 'id4': 'INTEGER', 'id5': 'INTEGER', 'id6': 'INTEGER', 'v1': 'INTEGER', 'v2': 'INTEGER', 'v3': 'DOUBLE'}";

export async function createDuckdbRunner(threads: number): Promise<EngineRunner> {
  // BENCH_DUCKDB_MEMORY_LIMIT (run.ts --duckdb-memory-limit, e.g. "8GB"): DuckDB's default is 80% of
  // the machine's RAM, which at 1e8 rows (group-by q10) takes a shared machine's memory from everyone.
  const limit = process.env["BENCH_DUCKDB_MEMORY_LIMIT"];
  const instance = await DuckDBInstance.create(":memory:", { threads: String(threads), ...(limit ? { memory_limit: limit } : {}) });
  const connection: DuckDBConnection = await instance.connect();
  const version = (createRequire(import.meta.url)("@duckdb/node-api/package.json") as { version: string }).version;
  return {
    name: "duckdb",
    version,
    async load(task: Task, files: DataFiles) {
      for (const [table, path] of Object.entries(files.tables)) {
        const types = task === "groupby" ? `, types = ${GROUPBY_TYPES}` : "";
        await connection.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv('${path}.csv', header = true${types})`);
      }
    },
    async run(question: Question) {
      await connection.run(`CREATE OR REPLACE TABLE ans AS ${question.sql}`);
    },
    async answer(question: Question): Promise<Answer> {
      const sums = question.checksum.map((c) => `CAST(sum(${c}) AS DOUBLE)`).join(", ");
      const reader = await connection.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE), ${sums} FROM ans`);
      const row = reader.getRows()[0] as readonly (number | null)[];
      return { rows: Number(row[0]), checksum: row.slice(1).map((v) => Number(v ?? 0)) };
    },
    async release() {
      await connection.run("DROP TABLE IF EXISTS ans");
    },
    async close() {
      connection.closeSync();
    },
  };
}
