/**
 * The scale curve (--scale): how each engine's time grows from 1e6 to 1e8 rows on group-by q1, q3
 * and join q2, as one table (question x size, seconds per engine, growth per 10x rows) and a
 * log-log line chart per question.
 */
import { type EngineResult, type TaskReport, timeOf } from "./report.js";

const sizeLabel = (n: number) => n.toExponential(0).replace("+", "");
const fmt = (v: number | undefined) => (v === undefined ? "–" : v < 10 ? v.toFixed(3) : v.toFixed(1));

/** What to print when an engine has no time: its error, its fatal reason (e.g. timed out), or not run. */
function missing(result: EngineResult | undefined, q: string): string {
  if (!result) return "not run";
  if (result.errors[q]) return "error";
  if (result.fatal) return /^timed out/.test(result.fatal) ? "timed out" : /^not run/.test(result.fatal) ? "not run" : "failed";
  return "–";
}

export function scaleMarkdown(reports: readonly TaskReport[]): string {
  const engines = [...new Set(reports.flatMap((r) => r.engines.map((e) => e.engine)))];
  const sizes = [...new Set(reports.map((r) => r.n))].sort((a, b) => a - b);
  const keys = [...new Set(reports.flatMap((r) => r.questions.map((q) => `${r.task} ${q.id}`)))];
  const lines = ["## Scale curve: seconds (run 2, or run 1 when only one ran) by rows", ""];
  lines.push(`| question | rows | ${engines.join(" | ")} | ${engines.map((e) => `${e} x per 10x rows`).join(" | ")} |`);
  lines.push(`|${"---|".repeat(2 + 2 * engines.length)}`);
  for (const key of keys) {
    const [task, q] = key.split(" ") as [string, string];
    let previous: Record<string, number | undefined> = {};
    let previousN = 0;
    for (const n of sizes) {
      const report = reports.find((r) => r.task === task && r.n === n);
      if (!report) continue;
      const cells: string[] = [];
      const growth: string[] = [];
      const current: Record<string, number | undefined> = {};
      for (const engine of engines) {
        const result = report.engines.find((e) => e.engine === engine);
        const seconds = result ? timeOf(result, q) : undefined;
        current[engine] = seconds;
        cells.push(seconds === undefined ? missing(result, q) : fmt(seconds));
        const before = previous[engine];
        // Growth normalized per decade of rows, so a 1e6 -> 1e8 step reads like a 10x one.
        growth.push(seconds !== undefined && before ? `${((seconds / before) ** (1 / Math.log10(n / previousN))).toFixed(1)}x` : "");
      }
      lines.push(`| ${key} | ${sizeLabel(n)} | ${cells.join(" | ")} | ${growth.join(" | ")} |`);
      previous = current;
      previousN = n;
    }
  }
  lines.push("", "Load seconds (each engine's whole load: Kindling's includes registering the tables with the engine):", "");
  lines.push(`| task | rows | ${engines.join(" | ")} |`, `|${"---|".repeat(2 + engines.length)}`);
  for (const r of reports) {
    lines.push(`| ${r.task} | ${sizeLabel(r.n)} | ${engines.map((e) => {
      const result = r.engines.find((x) => x.engine === e);
      return result?.loadSeconds !== undefined ? fmt(result.loadSeconds) : missing(result, "");
    }).join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}

export async function scaleChartSvg(reports: readonly TaskReport[]): Promise<string> {
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  const values = reports.flatMap((r) =>
    r.engines.flatMap((e) =>
      r.questions.flatMap((q) => {
        const seconds = timeOf(e, q.id);
        return seconds === undefined ? [] : [{ question: `${r.task} ${q.id}`, rows: r.n, engine: e.engine, seconds }];
      }),
    ),
  );
  const spec = vl.compile({
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      column: { field: "question", type: "nominal" },
      x: { field: "rows", type: "quantitative", scale: { type: "log" } },
      y: { field: "seconds", type: "quantitative", scale: { type: "log" } },
      color: { field: "engine", type: "nominal" },
    },
    width: 220,
    height: 220,
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  return view.toSVG();
}
