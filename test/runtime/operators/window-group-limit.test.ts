import { describe, expect, it } from "vitest";
import type { Batch, Column } from "../../../runtime/batch/column.js";
import { batchesToRows, columnFromValues, rowsToBatches } from "../../../runtime/batch/rows.js";
import type { Expr, SortOrder } from "../../../runtime/expr/ir.js";
import { Types } from "../../../runtime/expr/types.js";
import type { RankLikeFn } from "../../../runtime/logical/plan.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { GroupTopK } from "../../../runtime/worker/operators/window-group-limit.js";
import { col, fakeContext, id, rowsOf, schemaOf, table, type Row } from "./helpers.js";

const schema = schemaOf({ seq: Types.int32, p: Types.int32, s: Types.string, v: Types.float64, w: Types.float64, o: Types.int32, x: Types.float64 });

/** Ties, nulls in keys and values, NaN and infinities, a few groups. */
function makeRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      seq: i,
      p: i % 11 === 0 ? null : (i * 7) % 5,
      s: i % 13 === 0 ? null : ["b", "a", "c", "ab"][(i * 3) % 4]!,
      v: i % 9 === 0 ? null : ((i * 37) % 17) * 0.5,
      w: [Number.NaN, Infinity, -Infinity, null, 1, 2, 2, 3][i % 8]!,
      o: (i * 13) % 6,
      // Plain numbers first (the operator's numeric mode), NaN late (it must switch to the comparator).
      x: i > n / 2 && i % 10 === 0 ? Number.NaN : i % 7 === 0 ? null : (i * 29) % 23,
    });
  }
  return rows;
}

interface OrderSpec { readonly column: string; readonly ascending: boolean; readonly nullsFirst: boolean }

/** Spark's order of one key: nulls by nullsFirst, NaN above every number, strings by code point. */
function compareValues(a: unknown, b: unknown, o: OrderSpec): number {
  if (a === null || b === null) return a === b ? 0 : (a === null) === o.nullsFirst ? -1 : 1;
  let c: number;
  if (typeof a === "string") c = a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  else {
    const x = a as number, y = b as number;
    c = Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : Number.isNaN(y) ? -1 : x < y ? -1 : x > y ? 1 : 0;
  }
  return o.ascending ? c : -c;
}

/** seq of every row whose fn (over part, ordered by order, ties by input order) is <= k. */
function reference(rows: Row[], part: string[], order: OrderSpec[], fn: RankLikeFn, k: number): number[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify(part.map((c) => r[c]));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const cmp = (a: Row, b: Row) => { for (const o of order) { const c = compareValues(a[o.column], b[o.column], o); if (c !== 0) return c; } return 0; };
  const out: number[] = [];
  for (const g of groups.values()) {
    const sorted = [...g].sort((a, b) => cmp(a, b) || (a.seq as number) - (b.seq as number));
    let rank = 0, dense = 0;
    sorted.forEach((r, i) => {
      const fresh = i === 0 || cmp(sorted[i - 1]!, r) !== 0;
      if (fresh) { rank = i + 1; dense++; }
      const value = fn === "row_number" ? i + 1 : fn === "rank" ? rank : dense;
      if (value <= k) out.push(r.seq as number);
    });
  }
  return out.sort((a, b) => a - b);
}

function limitNode(input: PhysicalPlan, part: string[], order: OrderSpec[], fn: RankLikeFn, k: number): PhysicalPlan & { kind: "WindowGroupLimitExec" } {
  const orderBy: SortOrder[] = order.map((o) => ({ expr: col(o.column), ascending: o.ascending, nullsFirst: o.nullsFirst }));
  const partitionBy: Expr[] = part.map(col);
  return { kind: "WindowGroupLimitExec", id: id(), input, partitionBy, orderBy, fn, k, mode: "final", schema: input.schema, outputPartitioning: input.outputPartitioning };
}

const seqs = (rows: Row[]) => rows.map((r) => r.seq as number).sort((a, b) => a - b);

/** The same batches with column `name` dictionary-encoded (one dictionary shared by all batches). */
function withDictionary(batches: Batch[], name: string): Batch[] {
  const i = schema.fields.findIndex((f) => f.name === name);
  const values = [...new Set(batches.flatMap((b) => batchesToRows([b]).map((r) => r[name])).filter((x) => x !== null))] as string[];
  const dictionary = columnFromValues(values, Types.string);
  return batches.map((b) => {
    const rows = batchesToRows([b]);
    const codes = Int32Array.from(rows.map((r) => (r[name] === null ? 0 : values.indexOf(r[name] as string))));
    const plain = b.columns[i] as Column & { validity?: Uint8Array };
    const dict = { type: Types.string, length: b.length, encoding: "dict", codes, dictionary, validity: plain.validity } as unknown as Column;
    return { ...b, columns: b.columns.map((c, j) => (j === i ? dict : c)) };
  });
}

const rows = makeRows(400);
const cases: { name: string; part: string[]; order: OrderSpec[] }[] = [
  { name: "float desc nulls last by int key with nulls", part: ["p"], order: [{ column: "v", ascending: false, nullsFirst: false }] },
  { name: "float asc nulls first", part: ["p"], order: [{ column: "v", ascending: true, nullsFirst: true }] },
  { name: "NaN and infinities (generic comparator)", part: ["p"], order: [{ column: "w", ascending: false, nullsFirst: true }] },
  { name: "NaN only late in the stream", part: ["p"], order: [{ column: "x", ascending: false, nullsFirst: false }] },
  { name: "string order, string partition", part: ["s"], order: [{ column: "s", ascending: true, nullsFirst: false }, { column: "o", ascending: false, nullsFirst: false }] },
  { name: "two partition keys, int order", part: ["p", "s"], order: [{ column: "o", ascending: true, nullsFirst: true }] },
  { name: "no partition keys (global top-k)", part: [], order: [{ column: "v", ascending: false, nullsFirst: false }] },
];

describe("WindowGroupLimitExec", () => {
  for (const c of cases) {
    for (const fn of ["row_number", "rank", "dense_rank"] as const) {
      it(`${fn} keeps exactly the rows ranked <= k: ${c.name}`, async () => {
        for (const k of [1, 2, 3]) {
          const t = table("g", schema, [rows], 17);
          // An empty batch in the stream must not matter.
          t.tables["g"]![0]!.splice(3, 0, rowsToBatches([], schema)[0] ?? { schema, length: 0, columns: schema.fields.map((f) => columnFromValues([], f.type)) });
          const got = await rowsOf(limitNode(t.node, c.part, c.order, fn, k), fakeContext({ tables: t.tables }));
          expect(seqs(got)).toEqual(reference(rows, c.part, c.order, fn, k));
        }
      });
    }
  }

  it("gives the same rows over many passes (kept rows renumbered, new rows offered once)", () => {
    for (const c of cases) {
      for (const fn of ["row_number", "rank", "dense_rank"] as const) {
        const node = limitNode(table("g", schema, [[]]).node, c.part, c.order, fn, 2);
        const limiter = new GroupTopK(node, 7);
        for (const b of rowsToBatches(rows, schema, 5)) limiter.push(b);
        const kept = limiter.finish();
        expect(seqs(kept ? batchesToRows([kept]) : []), `${c.name} ${fn}`).toEqual(reference(rows, c.part, c.order, fn, 2));
      }
    }
  });

  it("groups and orders dictionary strings like plain ones", async () => {
    const order: OrderSpec[] = [{ column: "s", ascending: false, nullsFirst: true }, { column: "seq", ascending: true, nullsFirst: true }];
    for (const fn of ["row_number", "dense_rank"] as const) {
      const t = table("g", schema, [rows], 50);
      t.tables["g"]![0] = withDictionary(t.tables["g"]![0]!, "s");
      expect((t.tables["g"]![0]![0]!.columns[2] as { encoding?: string }).encoding).toBe("dict");
      const dictRows = await rowsOf(limitNode(t.node, ["s"], order, fn, 2), fakeContext({ tables: t.tables }));
      expect(seqs(dictRows)).toEqual(reference(rows, ["s"], order, fn, 2));
      const byDictKey = await rowsOf(limitNode(t.node, ["p"], order, fn, 2), fakeContext({ tables: t.tables }));
      expect(seqs(byDictKey)).toEqual(reference(rows, ["p"], order, fn, 2));
    }
  });

  it("k = 0 yields no rows", async () => {
    const t = table("g", schema, [rows], 50);
    expect(await rowsOf(limitNode(t.node, ["p"], cases[0]!.order, "row_number", 0), fakeContext({ tables: t.tables }))).toEqual([]);
  });

  it("over a tiny memory budget lets every row through instead of failing (the window above still decides)", async () => {
    for (const spill of [false, true]) {
      const t = table("g", schema, [rows], 50);
      const got = await rowsOf(limitNode(t.node, ["p"], cases[0]!.order, "row_number", 1), fakeContext({ tables: t.tables, budget: 64, spill }));
      expect(seqs(got)).toEqual(rows.map((r) => r.seq as number));
    }
  });
});
