import { describe, expect, it } from "vitest";
import type { AggFn, Expr, RankingFn, SortOrder, WindowFrame } from "../../../runtime/expr/ir.js";
import { Types } from "../../../runtime/expr/types.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { asc, col, desc, fakeContext, id, lit, rowsOf, schemaOf, table, type Row } from "./helpers.js";

const schema = schemaOf({ p: Types.string, o: Types.int32, d: Types.date, v: Types.int32, seq: Types.int32 });

function makeRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let k = 0; k < n; k++) {
    rows.push({ p: ["x", "y", null, "z"][(k * 5) % 4]!, o: k % 9 === 0 ? null : (k * 7) % 6, d: 19000 + ((k * 11) % 20), v: k % 7 === 3 ? null : (k * 17) % 23 - 5, seq: k });
  }
  return rows;
}

const rows = makeRows(120);
/** Input order of the operator: partition then order key (nulls first), ties by input order. */
function sortedBy(orderKey: "o" | "d", ascending = true): Row[] {
  const rank = (x: unknown) => (x === null ? -Infinity : (x as number));
  return [...rows].sort((a, b) => {
    const pa = a.p as string | null, pb = b.p as string | null;
    if (pa !== pb) return pa === null ? -1 : pb === null ? 1 : pa < pb ? -1 : 1;
    const oa = rank(a[orderKey]), ob = rank(b[orderKey]);
    if (oa !== ob) {
      if (oa === -Infinity || ob === -Infinity) return ascending ? (oa === -Infinity ? -1 : 1) : (oa === -Infinity ? 1 : -1);
      return ascending ? oa - ob : ob - oa;
    }
    return (a.seq as number) - (b.seq as number);
  });
}

const win = (name: string, fn: Expr, frame?: WindowFrame): Expr => ({ kind: "Alias", name, expr: { kind: "Window", fn, spec: { partitionBy: [col("p")], orderBy: [], ...(frame ? { frame } : {}) } } });
const rk = (fn: RankingFn, args: Expr[] = [], params?: Record<string, number>): Expr => ({ kind: "Ranking", fn, args, ...(params ? { params } : {}) });
const ag = (fn: AggFn, arg?: string): Expr => ({ kind: "Agg", fn, args: arg ? [col(arg)] : [], distinct: false });

function windowNode(exprs: Expr[], orderBy: SortOrder[]): { node: PhysicalPlan; tables: ReturnType<typeof table>["tables"] } {
  const t = table("w", schema, [rows], 25);
  return { node: { kind: "WindowExec", id: id(), input: t.node, partitionBy: [col("p")], orderBy, exprs, schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 1 } }, tables: t.tables };
}

/** Naive reference: for each row, look at its partition (by p) in operator order. */
function perRow(sorted: Row[], f: (part: Row[], i: number) => unknown): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  const parts = new Map<unknown, Row[]>();
  for (const r of sorted) parts.set(r.p, [...(parts.get(r.p) ?? []), r]);
  for (const part of parts.values()) part.forEach((r, i) => out.set(r.seq, f(part, i)));
  return out;
}
const nums = (rs: Row[]) => rs.map((r) => r.v).filter((x): x is number => x !== null);
const round = (x: unknown) => (typeof x === "number" ? Math.round(x * 1e9) / 1e9 : x);

async function check(exprs: Expr[], orderBy: SortOrder[], sorted: Row[], refs: Record<string, (part: Row[], i: number) => unknown>): Promise<void> {
  const w = windowNode(exprs, orderBy);
  const got = await rowsOf(w.node, fakeContext({ tables: w.tables }));
  expect(got).toHaveLength(rows.length);
  for (const [name, f] of Object.entries(refs)) {
    const ref = perRow(sorted, f);
    const actual = new Map(got.map((r) => [r.seq, round(r[name])]));
    const expected = new Map([...ref].map(([k, v]) => [k, round(v)]));
    expect(actual, name).toEqual(expected);
  }
}

const peerEq = (a: Row, b: Row, k: "o" | "d") => a[k] === b[k];

describe("WindowExec", () => {
  it("ranking functions and lag/lead match a naive per-row computation", async () => {
    const sorted = sortedBy("o");
    const firstPeer = (part: Row[], i: number) => part.findIndex((r) => peerEq(r, part[i]!, "o"));
    const lastPeer = (part: Row[], i: number) => part.length - 1 - [...part].reverse().findIndex((r) => peerEq(r, part[i]!, "o"));
    await check(
      [win("rn", rk("row_number")), win("rk", rk("rank")), win("dr", rk("dense_rank")), win("pr", rk("percent_rank")), win("cd", rk("cume_dist")),
        win("nt", rk("ntile", [lit(4, Types.int32)])), win("lag1", rk("lag", [col("v")])), win("lead2", rk("lead", [col("v"), lit(2, Types.int32), lit(-1, Types.int32)]))],
      [asc("o")], sorted,
      {
        rn: (_p, i) => i + 1,
        rk: (p, i) => firstPeer(p, i) + 1,
        dr: (p, i) => new Set(p.slice(0, i + 1).map((r) => r.o)).size,
        pr: (p, i) => (p.length <= 1 ? 0 : firstPeer(p, i) / (p.length - 1)),
        cd: (p, i) => (lastPeer(p, i) + 1) / p.length,
        nt: (p, i) => { const q = Math.floor(p.length / 4), rem = p.length % 4; return i < rem * (q + 1) ? Math.floor(i / (q + 1)) + 1 : rem + Math.floor((i - rem * (q + 1)) / q) + 1; },
        lag1: (p, i) => (i >= 1 ? p[i - 1]!.v : null),
        lead2: (p, i) => (i + 2 < p.length ? p[i + 2]!.v : -1),
      },
    );
  });

  it("default frame with orderBy is RANGE unbounded preceding..current row (peers included); without orderBy the whole partition", async () => {
    const sorted = sortedBy("o");
    await check([win("run", ag("sum", "v")), win("cnt", ag("count"))], [asc("o")], sorted, {
      run: (p, i) => { const last = p.length - 1 - [...p].reverse().findIndex((r) => r.o === p[i]!.o); const v = nums(p.slice(0, last + 1)); return v.length ? v.reduce((a, b) => a + b, 0) : null; },
      cnt: (p, i) => p.length - [...p].reverse().findIndex((r) => r.o === p[i]!.o),
    });
    const whole = sortedBy("o");
    const w = windowNode([win("tot", ag("sum", "v")), win("mx", ag("max", "v")), win("md", ag("median", "v"))], []);
    const got = await rowsOf(w.node, fakeContext({ tables: w.tables }));
    const ref = perRow(whole, (p) => nums(p).reduce((a, b) => a + b, 0));
    const refMax = perRow(whole, (p) => Math.max(...nums(p)));
    const refMed = perRow(whole, (p) => { const s = nums(p).sort((a, b) => a - b); const m = (s.length - 1) / 2; return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2; });
    for (const r of got) { expect(r.tot).toBe(ref.get(r.seq)); expect(r.mx).toBe(refMax.get(r.seq)); expect(r.md).toBe(refMed.get(r.seq)); }
  });

  it("ROWS frames: sliding sum/avg/count/min/max/median equal the naive window", async () => {
    const frame: WindowFrame = { type: "rows", start: { kind: "offset", value: -2 }, end: { kind: "offset", value: 1 } };
    const sorted = sortedBy("o");
    const slice = (p: Row[], i: number) => nums(p.slice(Math.max(0, i - 2), i + 2));
    const med = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = (s.length - 1) / 2; return s.length ? (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2 : null; };
    await check(
      [win("s", ag("sum", "v"), frame), win("a", ag("avg", "v"), frame), win("c", ag("count", "v"), frame), win("mn", ag("min", "v"), frame), win("mx", ag("max", "v"), frame), win("md", ag("median", "v"), frame)],
      [asc("o")], sorted,
      {
        s: (p, i) => { const x = slice(p, i); return x.length ? x.reduce((a, b) => a + b, 0) : null; },
        a: (p, i) => { const x = slice(p, i); return x.length ? x.reduce((a, b) => a + b, 0) / x.length : null; },
        c: (p, i) => slice(p, i).length,
        mn: (p, i) => { const x = slice(p, i); return x.length ? Math.min(...x) : null; },
        mx: (p, i) => { const x = slice(p, i); return x.length ? Math.max(...x) : null; },
        md: (p, i) => med(slice(p, i)),
      },
    );
  });

  it("RANGE frame over a date: 7-day rolling average (rangeBetween(-6, 0)), ascending and descending", async () => {
    const frame: WindowFrame = { type: "range", start: { kind: "offset", value: -6 }, end: { kind: "currentRow" } };
    for (const ascending of [true, false]) {
      const sorted = sortedBy("d", ascending);
      const dayOf = (r: Row) => r.d as number;
      await check([win("avg7", ag("avg", "v"), frame), win("max7", ag("max", "v"), frame)], [ascending ? asc("d") : desc("d")], sorted, {
        avg7: (p, i) => { const d = dayOf(p[i]!); const x = nums(p.filter((r) => (ascending ? dayOf(r) >= d - 6 && dayOf(r) <= d : dayOf(r) <= d + 6 && dayOf(r) >= d))); return x.length ? x.reduce((a, b) => a + b, 0) / x.length : null; },
        max7: (p, i) => { const d = dayOf(p[i]!); const x = nums(p.filter((r) => (ascending ? dayOf(r) >= d - 6 && dayOf(r) <= d : dayOf(r) <= d + 6 && dayOf(r) >= d))); return x.length ? Math.max(...x) : null; },
      });
    }
  });
});
