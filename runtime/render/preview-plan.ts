/**
 * What a DataFrame shows when a cell ends with it, without running anything: its columns and
 * types and the plan it would run (Spark shows `DataFrame[user_id: bigint, ...]`; we add the plan
 * tree in a collapsible block).
 */
import { type Schema, typeToString } from "../expr/types.js";
import { escapeHtml } from "./preview.js";

export function lazyFrameText(schema: Schema, planText: string): string {
  const cols = schema.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(", ");
  return `DataFrame[${cols}]\n(lazy: nothing has run; use await df.show() or await df.collect())\n${planText}`;
}

export function lazyFrameHtml(schema: Schema, planText: string): string {
  const rows = schema.fields
    .map((f) => `<tr><td>${escapeHtml(f.name)}</td><td>${escapeHtml(typeToString(f.type))}</td><td>${f.nullable ? "yes" : "no"}</td></tr>`)
    .join("");
  return (
    `<div class="kindling-dataframe"><div><b>DataFrame</b> · ${schema.fields.length} column${schema.fields.length === 1 ? "" : "s"} · ` +
    `<span style="opacity:.7">lazy: nothing has run yet; <code>await df.show()</code> computes it</span></div>` +
    `<table><thead><tr><th>column</th><th>type</th><th>nullable</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<details><summary>plan</summary><pre>${escapeHtml(planText)}</pre></details></div>`
  );
}
