import { describe, expect, it } from "vitest";
import { formatValue, JUPYTER_DISPLAY, PreviewTable, renderTextTable } from "../../../runtime/render/preview.js";
import type { Schema } from "../../../runtime/expr/types.js";

const schema: Schema = {
  fields: [
    { name: "id", type: { kind: "int64" }, nullable: false },
    { name: "name", type: { kind: "string" }, nullable: true },
    { name: "day", type: { kind: "date" }, nullable: true },
  ],
};
const rows = [
  { id: 1, name: "alice", day: new Date("2024-01-02T00:00:00Z") },
  { id: 12345678901234567890n, name: null, day: null },
];

describe("show() text", () => {
  it("renders Spark's bordered, right-aligned table", () => {
    expect(renderTextTable(schema, rows)).toBe(
      [
        "+--------------------+-----+----------+",
        "|                  id| name|       day|",
        "+--------------------+-----+----------+",
        "|                   1|alice|2024-01-02|",
        "|12345678901234567890| null|      null|",
        "+--------------------+-----+----------+",
      ].join("\n"),
    );
  });

  it("truncates long cells to 20 characters and notes more rows", () => {
    const text = renderTextTable(schema, [{ id: 1, name: "x".repeat(30), day: null }], { moreRows: true });
    expect(text).toContain(`|${"x".repeat(17)}...|`);
    expect(text.endsWith("only showing top 1 row")).toBe(true);
    expect(renderTextTable(schema, [{ id: 1, name: "x".repeat(30), day: null }], { truncate: false })).toContain("x".repeat(30));
  });

  it("formats timestamps in UTC and lists in brackets", () => {
    expect(formatValue(new Date("2024-03-04T05:06:07.008Z"))).toBe("2024-03-04 05:06:07.008");
    expect(formatValue([1, null, 3], { kind: "list", element: { kind: "int32" } })).toBe("[1, null, 3]");
  });
});

describe("PreviewTable", () => {
  it("answers the display protocol with escaped HTML", () => {
    const t = new PreviewTable(schema, [{ id: 1, name: "<b>", day: null }], false);
    const bundle = t[JUPYTER_DISPLAY]();
    expect(bundle["text/html"]).toContain("&lt;b&gt;");
    expect(bundle["text/html"]).toContain("1 row");
    expect(bundle["text/plain"]).toBe(t.toString());
    expect(t.toVerticalString()).toContain("-RECORD 0");
  });
});
