/** Makes sure the benchmark's data files exist under bench/data, generating them once. */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generateGroupby, generateJoin, groupbyName, joinNames } from "./datagen.js";
import type { Task } from "./questions.js";
import { type GeneratedTable, writeTableFiles } from "./table-files.js";

const present = (base: string) => existsSync(`${base}.csv`) && existsSync(`${base}.arrow`);

function write(table: GeneratedTable, dir: string, log: (line: string) => void): void {
  const start = performance.now();
  let reported = 0;
  writeTableFiles(table, join(dir, table.name), (rows) => {
    // A 1e8-row table takes many minutes: say how far it is every ~10%.
    if (rows - reported >= table.length / 10 || rows === table.length) {
      reported = rows;
      log(`  ${table.name}: ${rows} / ${table.length} rows (${((performance.now() - start) / 1000).toFixed(0)} s)`);
    }
  });
}

/** Table name -> file path without extension. */
export function ensureData(task: Task, n: number, dir: string, log: (line: string) => void): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  if (task === "groupby") {
    const base = join(dir, groupbyName(n, 100));
    if (!present(base)) {
      log(`generating ${groupbyName(n, 100)} (${n} rows)`);
      write(generateGroupby(n, 100), dir, log);
    }
    return { x: base };
  }
  const names = joinNames(n);
  const paths = { x: join(dir, names.x), small: join(dir, names.small), medium: join(dir, names.medium), big: join(dir, names.big) };
  if (!Object.values(paths).every(present)) {
    log(`generating ${names.x} and its small/medium/big tables (${n} rows)`);
    // Tables come one at a time (each generated after the previous is written): they share one
    // random stream, so all four are rewritten together.
    for (const table of generateJoin(n)) write(table, dir, log);
  }
  return paths;
}
