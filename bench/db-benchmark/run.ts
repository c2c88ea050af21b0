/**
 * `npm run bench -- --n 1e7`: db-benchmark's group-by and join questions on Kindling, DuckDB, Polars
 * and Arquero, one engine after another (each in its own process) on the same generated data.
 * Options: --n 1e6|1e7|1e8  --task groupby,join  --engines kindling,duckdb,polars,arquero
 *          --questions q1,q3  --runs 2  --threads 2  --timeout 900 (seconds per engine and task)
 *          --scale [--sizes 1e6,1e7,1e8] (the curve for groupby q1, q3 and join q2)
 *          --from a.json,b.json [--scale] (no run: merge earlier results into one report / the curve)
 *          --memory-budget <MB> (Kindling's per-worker memory budget; operators spill past it)
 *          --duckdb-memory-limit 8GB (DuckDB's memory_limit; default 80% of RAM)
 *          --generate (only write the --n / --task data files)  --data <dir> (default bench/data)
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureData } from "./data.js";
import { mergeResults } from "./merge-results.js";
import { questionsOf, tablesOf, type Task } from "./questions.js";
import { chartSvg, type EngineResult, markdown, type TaskReport, writeReports } from "./report.js";
import { ENGINES } from "./runners/index.js";
import { scaleChartSvg, scaleMarkdown } from "./scale-report.js";

const here = dirname(fileURLToPath(import.meta.url));
// dist/bench/db-benchmark -> repository root
const root = resolve(here, "../../..");

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** How every engine process is run. */
interface Settings {
  readonly runs: number;
  readonly threads: number;
  /** Seconds per engine and task before its process is killed. */
  readonly timeoutS: number;
  /** Kindling's per-worker memory budget in MB (0: unlimited, operators never spill). */
  readonly memoryBudgetMb: number;
  /** DuckDB's memory_limit (e.g. "8GB"); empty: DuckDB's default, 80% of RAM. */
  readonly duckdbMemoryLimit: string;
}

async function runEngine(engine: string, task: Task, tables: Record<string, string>, ids: string[], settings: Settings): Promise<EngineResult> {
  const { runs, threads, timeoutS } = settings;
  const result: EngineResult & { runs: EngineResult["runs"]; errors: Record<string, string> } = { engine, runs: {}, errors: {} };
  const mutable = result as { -readonly [K in keyof EngineResult]: EngineResult[K] };
  const child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=16384", join(here, "engine-child.js"), engine, task, JSON.stringify(tables), ids.join(","), String(runs), String(threads), String(settings.memoryBudgetMb)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, POLARS_MAX_THREADS: String(threads), ...(settings.duckdbMemoryLimit ? { BENCH_DUCKDB_MEMORY_LIMIT: settings.duckdbMemoryLimit } : {}) },
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let buffered = "";
  child.stdout.on("data", (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.startsWith("@@bench ")) continue;
      const event = JSON.parse(line.slice(8)) as Record<string, unknown>;
      if (event["type"] === "engine") mutable.version = String(event["version"]);
      if (event["type"] === "load") {
        mutable.loadSeconds = Number(event["seconds"]);
        mutable.loadPeakRssMb = Number(event["peakRssMb"]);
        console.log(`  ${engine} ${task}: loaded in ${Number(event["seconds"]).toFixed(2)} s`);
      }
      if (event["type"] === "result") {
        const q = String(event["question"]);
        (result.runs[q] ??= []).push(event as never);
        console.log(`  ${engine} ${task} ${q} run ${String(event["run"])}: ${Number(event["seconds"]).toFixed(3)} s, ${Number(event["peakRssMb"]).toFixed(0)} MB`);
      }
      if (event["type"] === "error") {
        result.errors[String(event["question"])] = String(event["message"]);
        console.log(`  ${engine} ${task} ${String(event["question"])}: ERROR ${String(event["message"])}`);
      }
      if (event["type"] === "fatal") mutable.fatal = String(event["message"]);
    }
  });
  const timer = setTimeout(() => {
    mutable.fatal = `timed out after ${timeoutS} s (remaining questions not run)`;
    child.kill("SIGKILL");
  }, timeoutS * 1000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on("exit", (c, sig) => done([c, sig])));
  clearTimeout(timer);
  if (code !== 0 && !result.fatal) {
    // The question that was running is the first one without a result (the child runs them in order).
    const running = ids.find((q) => (result.runs[q]?.length ?? 0) < runs && !result.errors[q]);
    const how = signal ? `was killed by ${signal} (out of memory, or stopped by hand)` : `exited with code ${code}`;
    const tail = stderr.trim().split("\n").slice(-3).join(" | ");
    mutable.fatal = `${how}${running ? ` during ${running}; later questions not run` : ""}${tail ? `: ${tail}` : ""}`;
  }
  if (result.fatal) console.log(`  ${engine} ${task}: ${result.fatal.split("\n")[0]}`);
  return result;
}

/** One task at one size: data ensured, every engine run on the chosen questions. */
async function runTask(task: Task, n: number, ids: readonly string[] | undefined, engines: readonly string[], settings: Settings, skip?: (engine: string) => string | undefined): Promise<TaskReport> {
  const questions = questionsOf(task).filter((q) => !ids || ids.includes(q.id));
  const files = ensureData(task, n, dataDir(), (line) => console.log(line));
  // Load only the tables these questions read (join q2 alone at 1e8 need not load the 1e8-row big table).
  const needed = new Set(questions.flatMap(tablesOf));
  const tables = Object.fromEntries(Object.entries(files).filter(([name]) => needed.has(name)));
  console.log(`${task} ${n} rows: ${questions.map((q) => q.id).join(" ")} (tables ${Object.keys(tables).join(", ")})`);
  const results: EngineResult[] = [];
  for (const engine of engines) {
    const why = skip?.(engine);
    if (why) results.push({ engine, runs: {}, errors: {}, fatal: why });
    else results.push(await runEngine(engine, task, tables, questions.map((q) => q.id), settings));
  }
  return { task, n, questions, engines: results };
}

/** bench/data, or --data <dir> (e.g. a bigger disk for 1e8). */
const dataDir = () => resolve(option("data", join(root, "bench", "data")));

async function main(): Promise<void> {
  if (process.argv.includes("--generate")) {
    // Only write the data files (e.g. 1e8 in the background, hours before the run).
    const n = Number(option("n", "1e6"));
    for (const task of option("task", "groupby,join").split(",") as Task[]) ensureData(task, n, dataDir(), (line) => console.log(line));
    return;
  }
  const engines = option("engines", ENGINES.join(",")).split(",");
  const runs = Number(option("runs", "2"));
  const threads = Number(option("threads", String(Math.min(2, cpus().length))));
  const timeoutS = Number(option("timeout", "1200"));
  const memoryBudgetMb = Number(option("memory-budget", "0"));
  const duckdbMemoryLimit = option("duckdb-memory-limit", "");
  const settings: Settings = { runs, threads, timeoutS, memoryBudgetMb, duckdbMemoryLimit };
  const picked = option("questions", "");
  const reports: TaskReport[] = [];
  let label: string;
  const from = option("from", "");
  let fromMeta: Record<string, string> = {};
  if (from) {
    // Re-render earlier runs (pieces of one run, or each size of the scale curve) as one report.
    const scaleOnly = process.argv.includes("--scale");
    const inCurve = (task: string, q: string) => (task === "groupby" ? q === "q1" || q === "q3" : q === "q2");
    const merged = mergeResults(from.split(","), scaleOnly ? inCurve : undefined);
    reports.push(...merged.reports);
    fromMeta = merged.meta;
    const sizes = [...new Set(reports.map((r) => r.n.toExponential(0).replace("+", "")))];
    label = scaleOnly ? `scale-${sizes.join("-")}` : `${sizes.join("-")}-merged`;
  } else if (process.argv.includes("--scale")) {
    // The scale curve: group-by q1 and q3 and join q2 at each size, to see how time grows with data.
    const sizes = option("sizes", "1e6,1e7,1e8").split(",");
    // Arquero takes minutes per question at 1e7 and would only time out at 1e8: the curve stops it at 1e7.
    for (const size of sizes) {
      const n = Number(size);
      const skip = (engine: string) => (engine === "arquero" && n > 1e7 ? "not run above 1e7 rows (it would time out)" : undefined);
      reports.push(await runTask("groupby", n, ["q1", "q3"], engines, settings, skip));
      reports.push(await runTask("join", n, ["q2"], engines, settings, skip));
    }
    label = `scale-${sizes.join("-")}`;
  } else {
    const n = Number(option("n", "1e6"));
    for (const task of option("task", "groupby,join").split(",") as Task[]) {
      reports.push(await runTask(task, n, picked ? picked.split(",") : undefined, engines, settings));
    }
    label = option("n", "1e6");
  }
  const date = new Date().toISOString().slice(0, 10);
  const meta: Record<string, string> = { date, rows: label, threads: String(threads), node: process.version, cpus: String(cpus().length), runs: String(runs) };
  // Merged runs keep what their own runs were made with (runs, threads, budgets), not this command's defaults.
  for (const key of ["runs", "threads", "duckdb memory_limit", "kindling memory budget"]) if (fromMeta[key]) meta[key] = fromMeta[key];
  if (from) meta["merged from"] = from.split(",").map((f) => f.split("/").pop()).join(", ");
  if (duckdbMemoryLimit) meta["duckdb memory_limit"] = duckdbMemoryLimit;
  if (memoryBudgetMb > 0) meta["kindling memory budget"] = `${memoryBudgetMb} MB per worker (operators spill past it)`;
  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const sameDay = readdirSync(resultsDir).filter((f) => f.startsWith(`${date}-${label}`) && f.endsWith(".json")).length;
  const stem = `${date}-${label}${sameDay ? `-${sameDay + 1}` : ""}`;
  const scale = process.argv.includes("--scale");
  const md = scale ? `${scaleMarkdown(reports)}\n${markdown(reports, meta)}` : markdown(reports, meta);
  const svg = scale ? await scaleChartSvg(reports) : await chartSvg(reports);
  const files = writeReports(resultsDir, stem, { json: { meta, reports }, md, svg });
  console.log(md);
  console.log(`written: ${files.join(", ")}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
