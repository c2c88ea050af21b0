/** Turns collected results into bench/results/<date>-<n>.{json,md,svg}: times, peak RSS, ratios, agreement. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Question } from "./questions.js";

export interface EngineResult {
  readonly engine: string;
  readonly version?: string;
  readonly loadSeconds?: number;
  readonly loadPeakRssMb?: number;
  /** question id -> runs */
  readonly runs: Record<string, { run: number; seconds: number; peakRssMb: number; rows: number; checksum: number[] }[]>;
  readonly errors: Record<string, string>;
  readonly fatal?: string;
}

export interface TaskReport {
  readonly task: string;
  readonly n: number;
  readonly questions: readonly Question[];
  readonly engines: readonly EngineResult[];
}

/** Second run's time (db-benchmark reports both; the second is warm). */
export function timeOf(result: EngineResult, q: string): number | undefined {
  const runs = result.runs[q];
  if (!runs || runs.length === 0) return undefined;
  return (runs[1] ?? runs[0])!.seconds;
}

function peakOf(result: EngineResult, q: string): number | undefined {
  const runs = result.runs[q];
  return runs && runs.length ? Math.max(...runs.map((r) => r.peakRssMb)) : undefined;
}

/** Engines whose answer differs from the reference (first engine with an answer, DuckDB when present). */
export function disagreements(report: TaskReport, tolerance = 1e-6): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const question of report.questions) {
    const answers = report.engines
      .map((e) => ({ engine: e.engine, answer: e.runs[question.id]?.[0] }))
      .filter((a) => a.answer !== undefined);
    const reference = answers.find((a) => a.engine === "duckdb") ?? answers[0];
    if (!reference?.answer) continue;
    for (const { engine, answer } of answers) {
      if (!answer || engine === reference.engine) continue;
      const same =
        answer.rows === reference.answer.rows &&
        answer.checksum.every((v, i) => {
          const r = reference.answer!.checksum[i]!;
          return Math.abs(v - r) <= tolerance * Math.max(1, Math.abs(r));
        });
      if (!same) {
        (out[question.id] ??= []).push(
          `${engine}: rows ${answer.rows}, checksum [${answer.checksum.map((v) => v.toPrecision(10)).join(", ")}] vs ${reference.engine} rows ${reference.answer.rows}, [${reference.answer.checksum.map((v) => v.toPrecision(10)).join(", ")}]`,
        );
      }
    }
  }
  return out;
}

const fmt = (v: number | undefined, digits = 3) => (v === undefined ? "–" : v.toFixed(digits));

export function markdown(reports: readonly TaskReport[], meta: Record<string, string>): string {
  const lines: string[] = [`# db-benchmark run ${meta["date"] ?? ""}`, ""];
  for (const [k, v] of Object.entries(meta)) lines.push(`- ${k}: ${v}`);
  for (const report of reports) {
    const engines = report.engines.map((e) => e.engine);
    lines.push("", `## ${report.task}, ${report.n.toExponential(0).replace("+", "")} rows: seconds (run 2, or run 1 when only one ran)`, "");
    // Ratio columns only for engines kindling is compared with: none in a report of kindling alone,
    // or of peers without kindling (pieces of a run merged later).
    const kindling = report.engines.find((e) => e.engine === "kindling");
    const peers = kindling ? report.engines.filter((e) => e !== kindling) : [];
    const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    lines.push(row(["q", "question", ...engines, ...peers.map((e) => `kindling / ${e.engine}`)]));
    lines.push(`|${"---|".repeat(2 + engines.length + peers.length)}`);
    for (const q of report.questions) {
      const times = report.engines.map((e) => (e.errors[q.id] ? "error" : fmt(timeOf(e, q.id))));
      const ratios = peers.map((e) => {
        const k = kindling ? timeOf(kindling, q.id) : undefined;
        const o = timeOf(e, q.id);
        return k !== undefined && o ? `${(k / o).toFixed(2)}x` : "–";
      });
      lines.push(row([q.id, q.title, ...times, ...ratios]));
    }
    lines.push(row(["load", "", ...report.engines.map((e) => fmt(e.loadSeconds)), ...peers.map(() => "")]));
    lines.push("", `Peak RSS MB per question (max of runs):`, "", `| q | ${engines.join(" | ")} |`, `|${"---|".repeat(1 + engines.length)}`);
    for (const q of report.questions) lines.push(`| ${q.id} | ${report.engines.map((e) => fmt(peakOf(e, q.id), 0)).join(" | ")} |`);
    const bad = disagreements(report);
    lines.push("", "Answers:", "");
    if (Object.keys(bad).length === 0) lines.push("- every engine's row count and checksum agree (relative tolerance 1e-6)");
    for (const [q, why] of Object.entries(bad)) for (const w of why) lines.push(`- ${q} DISAGREES: ${w}`);
    for (const e of report.engines) {
      for (const [q, message] of Object.entries(e.errors)) lines.push(`- ${e.engine} ${q} failed: ${message}`);
      if (e.fatal) lines.push(`- ${e.engine} could not run: ${e.fatal.split("\n")[0]}`);
    }
  }
  return lines.join("\n") + "\n";
}

export async function chartSvg(reports: readonly TaskReport[]): Promise<string> {
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  const values = reports.flatMap((r) =>
    r.engines.flatMap((e) =>
      r.questions.flatMap((q) => {
        const seconds = timeOf(e, q.id);
        return seconds === undefined ? [] : [{ question: `${r.task} ${q.id} (${r.n.toExponential(0).replace("+", "")})`, engine: e.engine, seconds }];
      }),
    ),
  );
  const spec = vl.compile({
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "question", type: "nominal", sort: null },
      yOffset: { field: "engine" },
      x: { field: "seconds", type: "quantitative", scale: { type: "symlog" } },
      color: { field: "engine", type: "nominal" },
    },
    width: 480,
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  return view.toSVG();
}

export function writeReports(dir: string, stem: string, content: { json: unknown; md: string; svg: string }): string[] {
  const files = [join(dir, `${stem}.json`), join(dir, `${stem}.md`), join(dir, `${stem}.svg`)];
  writeFileSync(files[0]!, JSON.stringify(content.json, null, 2) + "\n");
  writeFileSync(files[1]!, content.md);
  writeFileSync(files[2]!, content.svg);
  return files;
}
