/** DuckDB as the oracle: loads a case's tables and answers its SQL; canonical rows for comparison. */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Case, Row1, Row2 } from "./query-model.js";
import { toSql } from "./to-sql.js";

/** A value as a comparable string: numbers to 10 significant digits, bigints exact, dates as days. */
export function canonicalValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (v instanceof Date) return `date:${v.toISOString().slice(0, 10)}`;
  // int64 comes back as bigint (DuckDB always, Kindling beyond 2^53): exact where only a bigint
  // can hold it, otherwise compared like any other number.
  if (typeof v === "bigint") return v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER) ? `num:${v}` : canonicalValue(Number(v));
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "num:NaN";
    // Small integers exactly; anything else (a stddev can be a whole number near 1e15) to 10
    // significant digits, since two engines may round the last bits differently.
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 31) return `num:${v}`;
    // Generated values are multiples of 0.25 below 1e16, so a result this close to 0 is a rounding
    // residue (a variance merged from partial states), not a value: both engines may leave one.
    if (Math.abs(v) < 1e-9) return "num:0";
    return `num:${Number(v.toPrecision(10))}`;
  }
  if (typeof v === "string") return `str:${JSON.stringify(v)}`;
  if (typeof v === "boolean") return `bool:${v}`;
  if (Array.isArray(v)) return `[${v.map(canonicalValue).join(",")}]`;
  return `other:${String(v)}`;
}

export function canonicalRows(rows: readonly Readonly<Record<string, unknown>>[], ordered: boolean): string[] {
  const out = rows.map((row) =>
    Object.keys(row)
      .sort()
      .map((k) => `${k}=${canonicalValue(row[k])}`)
      .join(" | "),
  );
  return ordered ? out : out.sort();
}

const sqlValue = (v: string | number | bigint | null) =>
  v === null ? "NULL" : typeof v === "string" ? `'${v.replace(/'/g, "''")}'` : String(v);

function insert(table: string, columns: string, rows: string[]): string {
  return rows.length ? `INSERT INTO ${table} (${columns}) VALUES ${rows.join(", ")}` : "";
}

export class Oracle {
  private constructor(private readonly connection: DuckDBConnection) {}

  static async start(): Promise<Oracle> {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    return new Oracle(await instance.connect());
  }

  async answer(c: Case): Promise<string[]> {
    await this.load(c.t1, c.t2);
    const reader = await this.connection.runAndReadAll(toSql(c.query));
    return canonicalRows(reader.getRowObjectsJS() as Record<string, unknown>[], c.query.topK !== undefined);
  }

  private async load(t1: readonly Row1[], t2: readonly Row2[]): Promise<void> {
    await this.connection.run("CREATE OR REPLACE TABLE t1 (id INTEGER, k INTEGER, g VARCHAR, v DOUBLE, n BIGINT, d DATE)");
    await this.connection.run("CREATE OR REPLACE TABLE t2 (k INTEGER, h VARCHAR, w DOUBLE)");
    const r1 = t1.map((r) => `(${sqlValue(r.id)}, ${sqlValue(r.k)}, ${sqlValue(r.g)}, ${sqlValue(r.v)}, ${sqlValue(r.n)}, ${r.d === null ? "NULL" : `DATE '1970-01-01' + ${r.d}`})`);
    const r2 = t2.map((r) => `(${sqlValue(r.k)}, ${sqlValue(r.h)}, ${sqlValue(r.w)})`);
    for (const statement of [insert("t1", "id, k, g, v, n, d", r1), insert("t2", "k, h, w", r2)]) if (statement) await this.connection.run(statement);
  }

  close(): void {
    this.connection.closeSync();
  }
}
