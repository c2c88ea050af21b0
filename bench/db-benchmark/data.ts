/** Makes sure the benchmark's data files exist under bench/data, generating them once. */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { generateGroupby, generateJoin, groupbyName, joinNames } from "./datagen.js";
import type { Task } from "./questions.js";
import { type GeneratedTable, writeArrowFile, writeCsvFile } from "./table-files.js";

async function writeBoth(table: GeneratedTable, dir: string): Promise<void> {
  const base = join(dir, table.name);
  await writeCsvFile(table, `${base}.csv`);
  await writeArrowFile(table, `${base}.arrow`);
}

const present = (base: string) => existsSync(`${base}.csv`) && existsSync(`${base}.arrow`);

/** Table name -> file path without extension. */
export async function ensureData(task: Task, n: number, dir: string, log: (line: string) => void): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  if (task === "groupby") {
    const base = join(dir, groupbyName(n, 100));
    if (!present(base)) {
      log(`generating ${groupbyName(n, 100)} (${n} rows)`);
      await writeBoth(generateGroupby(n, 100), dir);
    }
    return { x: base };
  }
  const names = joinNames(n);
  const paths = { x: join(dir, names.x), small: join(dir, names.small), medium: join(dir, names.medium), big: join(dir, names.big) };
  if (!Object.values(paths).every(present)) {
    log(`generating ${names.x} and its small/medium/big tables (${n} rows)`);
    const tables = generateJoin(n);
    for (const table of [tables.x, tables.small, tables.medium, tables.big]) await writeBoth(table, dir);
  }
  return paths;
}
