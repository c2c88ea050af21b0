import { describe, expect, it } from "vitest";
import * as arrow from "apache-arrow";
import { session } from "../../../runtime/index.js";
import { inferSchema } from "../../../runtime/api/schema-inference.js";

const s = session({ workers: 2 });
const kinds = (rows: Record<string, unknown>[]) => inferSchema(rows).fields.map((f) => [f.name, f.type.kind, f.nullable]);

describe("schema inference", () => {
  it("picks int32, int64, float64, bigint, timestamp, string and bool", () => {
    expect(
      kinds([{ small: 1, large: 2 ** 40, real: 1.5, exact: 5n, when: new Date(0), text: "x", flag: true }]),
    ).toEqual([
      ["small", "int32", false], ["large", "int64", false], ["real", "float64", false], ["exact", "int64", false],
      ["when", "timestamp", false], ["text", "string", false], ["flag", "bool", false],
    ]);
  });

  it("widens numbers across rows and marks nulls and missing keys nullable", () => {
    expect(kinds([{ a: 1, b: 1 }, { a: 2.5, b: 2 ** 33, c: "late" }, { a: null, b: 3 }])).toEqual([
      ["a", "float64", true], ["b", "int64", false], ["c", "string", true],
    ]);
  });

  it("gives a column of only nulls the null type", () => {
    expect(kinds([{ a: null }, { a: undefined }])).toEqual([["a", "null", true]]);
  });

  it("infers list columns", () => {
    expect(inferSchema([{ tags: ["a", "b"] }, { tags: [] }]).fields[0]!.type).toEqual({ kind: "list", element: { kind: "string" } });
  });

  it("refuses mixed families, naming column and row", () => {
    expect(() => inferSchema([{ id: 1 }, { id: 2 }, { id: "3" }])).toThrow(
      /Column "id": row 2 has a string but earlier rows have int32; make the values one type or pass a schema, e.g. \{ id: "int32" \}/,
    );
    expect(() => inferSchema([{ o: { nested: 1 } }])).toThrow(/Column "o", row 0: cannot store a Object value/);
    expect(() => inferSchema([])).toThrow(/zero rows; pass a schema/);
  });
});

describe("createDataFrame", () => {
  it("takes an explicit schema with type names", () => {
    const df = s.createDataFrame([{ user_id: 1, ts: "2024-01-01T00:00:00Z", day: "2024-01-01" }], { user_id: "int64", ts: "timestamp", day: "date" });
    expect(df.dtypes).toEqual([["user_id", "int64"], ["ts", "timestamp"], ["day", "date"]]);
  });

  it("fails on the creating line when a value does not fit the schema", () => {
    expect(() => s.createDataFrame([{ n: "abc" }], { n: "int32" })).toThrow(/createDataFrame\(\): Row 0, column "n"/);
  });

  it("takes Spark's tuple form: arrays of values plus column names", () => {
    const df = s.createDataFrame([[1, "a"], [2, null]], ["id", "name"]);
    expect(df.dtypes).toEqual([["id", "int32"], ["name", "string"]]);
    expect(() => s.createDataFrame([[1]], ["id", "name"])).toThrow(/row 0 should be an array of 2 values \(id, name\)/);
  });

  it("reads an Arrow table's schema", () => {
    const table = arrow.tableFromArrays({ id: Int32Array.from([1, 2]), name: ["a", "b"] });
    const df = s.createDataFrame(table);
    expect(df.dtypes).toEqual([["id", "int32"], ["name", "string"]]);
  });

  it("range() makes an int64 id column", () => {
    expect(s.range(10).dtypes).toEqual([["id", "int64"]]);
    expect(s.range(5, 10, 2).plan).toMatchObject({ kind: "Scan", source: { kind: "range", start: 5n, end: 10n, step: 2n } });
  });
});

describe("session", () => {
  it("returns the same session until stopped", async () => {
    const a = session();
    expect(session({ shufflePartitions: 3 })).toBe(a);
    expect(a.config.shufflePartitions).toBe(3);
    const view = a.range(3);
    view.createOrReplaceTempView("numbers");
    expect(a.table("numbers").schema.fields[0]).toMatchObject({ name: "id", qualifier: "numbers" });
    expect(() => a.table("numbrs")).toThrow(/Table "numbrs" not found; did you mean "numbers"\?/);
    expect(() => a.read.csv("data/*.csv")).toThrow(/session.read.csv\(\): readers arrive with the I\/O work/);
  });
});
