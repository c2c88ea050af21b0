/**
 * show() output: Spark's text table (`+---+` borders, right-aligned cells, 20-character truncation,
 * "only showing top 20 rows") and an HTML table for notebooks. A PreviewTable answers the display
 * protocol, so a notebook renders it as HTML and a plain script prints its text.
 */
import { type DataType, type Schema, typeToString } from "../expr/types.js";

export type Row = Readonly<Record<string, unknown>>;

/** The display protocol's method name (shared with Deno's kernel): `value[JUPYTER_DISPLAY]()` returns a MIME bundle. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as typeof JUPYTER_DISPLAY;

const pad2 = (n: number) => String(n).padStart(2, "0");

/** A cell as Spark prints it: null, dates as yyyy-MM-dd, timestamps as yyyy-MM-dd HH:mm:ss[.SSS] (UTC). */
export function formatValue(value: unknown, type?: DataType): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "null";
    const day = `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
    if (type?.kind === "date") return day;
    const ms = value.getUTCMilliseconds();
    const time = `${pad2(value.getUTCHours())}:${pad2(value.getUTCMinutes())}:${pad2(value.getUTCSeconds())}`;
    return `${day} ${time}${ms ? `.${String(ms).padStart(3, "0")}` : ""}`;
  }
  if (Array.isArray(value)) {
    const element = type?.kind === "list" ? type.element : undefined;
    return `[${value.map((v) => formatValue(v, element)).join(", ")}]`;
  }
  if (typeof value === "object") return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  return String(value);
}

function truncateCell(text: string, width: number): string {
  if (width <= 0 || text.length <= width) return text;
  return width < 4 ? text.slice(0, width) : `${text.slice(0, width - 3)}...`;
}

/** Spark's `df.show()` text. `truncate`: true = 20 characters, a number = that many, false = none. */
export function renderTextTable(schema: Schema, rows: readonly Row[], options: { truncate?: boolean | number; moreRows?: boolean; vertical?: boolean } = {}): string {
  const width = options.truncate === false ? 0 : options.truncate === true || options.truncate === undefined ? 20 : options.truncate;
  const names = schema.fields.map((f) => f.name);
  const cells = rows.map((r) => schema.fields.map((f, i) => truncateCell(formatValue(cellOf(r, f.name, i, schema.fields.length), f.type), width)));
  if (options.vertical) return renderVertical(names, cells, rows.length, options.moreRows);
  const widths = names.map((n, c) => Math.max(3, n.length, ...cells.map((row) => row[c]!.length)));
  const line = `+${widths.map((w) => "-".repeat(w)).join("+")}+`;
  // Spark right-aligns when truncating and left-aligns with truncate = false.
  const fmt = (values: readonly string[]) => `|${values.map((v, c) => (width > 0 ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join("|")}|`;
  const out = [line, fmt(names), line, ...cells.map(fmt), line];
  if (options.moreRows) out.push(`only showing top ${rows.length} row${rows.length === 1 ? "" : "s"}`);
  return out.join("\n");
}

function renderVertical(names: readonly string[], cells: readonly string[][], n: number, more?: boolean): string {
  const nameWidth = Math.max(...names.map((x) => x.length));
  const out: string[] = [];
  cells.forEach((row, r) => {
    out.push(`-RECORD ${r}${"-".repeat(Math.max(1, nameWidth))}`);
    row.forEach((v, c) => out.push(` ${names[c]!.padEnd(nameWidth)} | ${v}`));
  });
  if (n === 0) out.push("(0 rows)");
  if (more) out.push(`only showing top ${n} row${n === 1 ? "" : "s"}`);
  return out.join("\n");
}

/**
 * The cell of column `index`. Rows from collect() have one key per column in schema order (a
 * duplicate name is keyed `o.id`), so position is exact; other rows are read by name.
 */
function cellOf(row: Row, name: string, index: number, width: number): unknown {
  const keys = Object.keys(row);
  return keys.length === width ? row[keys[index]!] : row[name];
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

export function renderHtmlTable(schema: Schema, rows: readonly Row[], options: { moreRows?: boolean; caption?: string } = {}): string {
  const head = schema.fields
    .map((f) => `<th title="${escapeHtml(typeToString(f.type))}">${escapeHtml(f.name)}<br><small style="font-weight:normal;opacity:.6">${escapeHtml(typeToString(f.type))}</small></th>`)
    .join("");
  const numeric = schema.fields.map((f) => ["int32", "int64", "float64", "decimal"].includes(f.type.kind));
  const body = rows
    .map((r) => `<tr>${schema.fields.map((f, i) => {
      const v = cellOf(r, f.name, i, schema.fields.length);
      const style = v === null || v === undefined ? ' style="opacity:.5;font-style:italic"' : numeric[i] ? ' style="text-align:right"' : "";
      return `<td${style}>${escapeHtml(truncateCell(formatValue(v, f.type), 200))}</td>`;
    }).join("")}</tr>`)
    .join("\n");
  const footer = options.moreRows ? `only showing top ${rows.length} rows` : `${rows.length} row${rows.length === 1 ? "" : "s"}`;
  const caption = options.caption ? `<caption style="text-align:left">${escapeHtml(options.caption)}</caption>` : "";
  return (
    `<div class="kindling-preview"><table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>` +
    `<div style="opacity:.6;font-size:smaller">${escapeHtml(footer)}</div></div>`
  );
}

/** The result of show()/preview(): rows plus their schema, rendered as text or HTML. */
export class PreviewTable {
  constructor(
    readonly schema: Schema,
    readonly rows: readonly Row[],
    readonly moreRows: boolean,
    private readonly truncate: boolean | number = true,
  ) {}

  toString(): string {
    return renderTextTable(this.schema, this.rows, { truncate: this.truncate, moreRows: this.moreRows });
  }

  /** One "-RECORD n-" block per row (Spark's show(vertical = true)), for wide rows. */
  toVerticalString(): string {
    return renderTextTable(this.schema, this.rows, { truncate: this.truncate, moreRows: this.moreRows, vertical: true });
  }

  toHtml(): string {
    return renderHtmlTable(this.schema, this.rows, { moreRows: this.moreRows });
  }

  [JUPYTER_DISPLAY](): Record<string, string> {
    return { "text/plain": this.toString(), "text/html": this.toHtml() };
  }
}
