import { describe, expect, it } from "vitest";
import type { Column } from "../../../../runtime/batch/column.js";
import { KeyTable } from "../../../../runtime/batch/ops/key-table.js";
import { columnFromValues, valueAt } from "../../../../runtime/batch/rows.js";
import { Types, type DataType } from "../../../../runtime/expr/types.js";

/** A key tuple as text; null, NaN and -0 spelled the way SQL grouping treats them. */
function tupleKey(values: readonly unknown[]): string {
  return values
    .map((v) => (v === null ? "<null>" : typeof v === "number" && Number.isNaN(v) ? "NaN" : v instanceof Date ? `d${v.getTime()}` : `${typeof v}:${String(v)}`))
    .join("|");
}

/** Dictionary-encoded strings over `words` (null rows get code -1, as some producers write). */
function dictColumn(values: readonly (string | null)[], words: readonly string[]): Column {
  const dictionary = columnFromValues(words, Types.string) as Column & { encoding: "utf8" };
  const validity = new Uint8Array((values.length + 7) >> 3);
  const codes = Int32Array.from(values, (v, i) => {
    if (v === null) return -1;
    validity[i >> 3]! |= 1 << (i & 7);
    return words.indexOf(v);
  });
  const hasNull = values.includes(null);
  return { type: Types.string, length: values.length, encoding: "dict", codes, dictionary, validity: hasNull ? validity : undefined };
}

/**
 * Feeds batches through a KeyTable and checks what a user sees: equal keys share an id across
 * batches, different keys differ, ids are dense, and emitKeys gives each id's key back.
 */
function checkGrouping(types: DataType[], batches: Column[][]): KeyTable {
  const table = new KeyTable(types);
  const idOf = new Map<string, number>();
  for (const cols of batches) {
    const n = cols[0]!.length;
    const out = new Int32Array(n);
    table.map(cols, n, out, true);
    for (let i = 0; i < n; i++) {
      const key = tupleKey(cols.map((c) => valueAt(c, i)));
      if (!idOf.has(key)) idOf.set(key, out[i]!);
      expect(out[i], `row ${i} key ${key}`).toBe(idOf.get(key));
    }
  }
  expect(table.size).toBe(idOf.size);
  expect(new Set(idOf.values()).size).toBe(idOf.size);
  const keys = table.emitKeys();
  expect(keys.map((k) => k.length)).toEqual(types.map(() => table.size));
  for (const [key, id] of idOf) expect(tupleKey(keys.map((k) => valueAt(k, id)))).toBe(key);
  return table;
}

const rand = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

describe("KeyTable over key words (several columns, strings, 8-byte types)", () => {
  it("groups two dictionary-encoded string keys across batches with different dictionaries and nulls (code -1)", () => {
    const r = rand(1);
    const words = Array.from({ length: 12 }, (_, i) => `id${i}`);
    const batches: Column[][] = [];
    for (let b = 0; b < 6; b++) {
      const dict = b % 2 === 0 ? words : [...words].reverse();
      const a = Array.from({ length: 500 }, () => (r() < 0.05 ? null : words[Math.floor(r() * 12)]!));
      const c = Array.from({ length: 500 }, () => (r() < 0.05 ? null : words[Math.floor(r() * 5)]!));
      batches.push([dictColumn(a, dict), dictColumn(c, dict)]);
    }
    const t = checkGrouping([Types.string, Types.string], batches);
    expect(t.size).toBeGreaterThan(50);
  });

  it("mixes plain UTF-8 and dictionary batches of the same key column, including the empty string vs null", () => {
    const b1 = [columnFromValues(["a", "", null, "b", "a"], Types.string), columnFromValues([1, 1, 1, 2, 1], Types.int32)];
    const b2 = [dictColumn(["b", null, "a", ""], ["", "a", "b"]), columnFromValues([2, 1, 1, 1], Types.int32)];
    const t = checkGrouping([Types.string, Types.int32], [b1, b2]);
    expect(t.size).toBe(4);
  });

  it("keeps int32 null apart from 0 and date/bool/int64/timestamp/decimal/float64 keys exact", () => {
    const types: DataType[] = [Types.int32, Types.bool, Types.int64, Types.float64, Types.date, Types.timestamp, Types.decimal(10, 2)];
    const rows: unknown[][] = [
      [0, true, 2n ** 40n, 0, "2024-01-02", new Date(1000), 1.25],
      [null, true, 2n ** 40n, -0, "2024-01-02", new Date(1000), 1.25],
      [0, null, -1, NaN, null, null, null],
      [0, false, -1, -NaN, null, null, null],
      [0, true, 2n ** 40n, 0, "2024-01-02", new Date(1000), 1.25],
      [7, false, 2n ** 62n, 1e300, "1969-12-31", new Date(-1), -3.5],
      [null, null, null, null, null, null, null],
      [null, null, null, null, null, null, null],
    ];
    const cols = types.map((t, c) => columnFromValues(rows.map((r) => r[c]), t));
    const t = checkGrouping(types, [cols, cols]);
    expect(t.size).toBe(6); // rows 0 and 4 are one key, rows 6 and 7 (all null) another
  });

  it("looks up without inserting (join probe): unseen strings and tuples give -1 and the table does not grow", () => {
    const t = new KeyTable([Types.string, Types.int64]);
    const build = [columnFromValues(["x", "y", "x"], Types.string), columnFromValues([1, 2, 3], Types.int64)];
    const ids = new Int32Array(3);
    t.map(build, 3, ids, true);
    const probe = [dictColumn(["x", "zz", "y", "x", null], ["zz", "y", "x"]), columnFromValues([3, 1, 2, 2, 1], Types.int64)];
    const out = new Int32Array(5);
    t.map(probe, 5, out, false);
    expect(Array.from(out)).toEqual([ids[2], -1, ids[1], -1, -1]);
    expect(t.size).toBe(3);
    // The same dictionary later with inserts allowed: the entry absent before is interned now.
    t.map(probe, 5, out, true);
    expect(t.size).toBe(6);
  });

  it("maps a dictionary bigger than the batch entry by entry (lazily) and a small one whole, through probes and inserts", () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`);
    const t = new KeyTable([Types.string, Types.int32]);
    const small = dictColumn(["w1", "w2", null, "w1"], ["w2", "w1"]);
    const ints = columnFromValues([1, 1, 1, 1], Types.int32);
    const ids = new Int32Array(4);
    t.map([small, ints], 4, ids, true);
    expect(t.size).toBe(3);
    const big = dictColumn(["w1", "w999", null, "w2"], words);
    const probe = new Int32Array(4);
    t.map([big, ints], 4, probe, false);
    expect(Array.from(probe)).toEqual([ids[0], -1, ids[2], ids[1]]);
    t.map([big, ints], 4, probe, true);
    expect(t.size).toBe(4);
    expect(probe[1]).toBe(3);
    t.map([big, ints], 4, probe, false);
    expect(Array.from(probe)).toEqual([ids[0], 3, ids[2], ids[1]]);
  });

  it("probes a single string key (join on a string column): known strings find their id, unknown and null rows -1", () => {
    const t = new KeyTable([Types.string]);
    const ids = new Int32Array(3);
    t.map([columnFromValues(["p", "q", null], Types.string)], 3, ids, true);
    const out = new Int32Array(4);
    t.map([dictColumn(["q", "nope", null, "p"], ["p", "nope", "q"])], 4, out, false);
    expect(Array.from(out)).toEqual([ids[1], -1, ids[2], ids[0]]);
    expect(t.size).toBe(3);
  });

  it("keeps ids when the key space outgrows perfect hashing (direct array) and switches to hashing", () => {
    const r = rand(7);
    const batches: Column[][] = [];
    for (let b = 0; b < 8; b++) {
      // Ranges widen every batch: small ints first, then values far apart.
      const spread = b < 3 ? 10 : 2 ** 30;
      const a = Array.from({ length: 400 }, () => Math.floor(r() * spread) - (b === 5 ? spread : 0));
      const c = Array.from({ length: 400 }, (_, i) => (i % 37 === 0 ? null : Math.floor(r() * (b + 2))));
      batches.push([columnFromValues(a, Types.int32), columnFromValues(c, Types.int32)]);
    }
    checkGrouping([Types.int32, Types.int32], batches);
  });

  it("sends a long batch of spread-out keys straight to hashing (sampled first rows) and still groups every row", () => {
    const r = rand(11);
    const n = 6000;
    const wide = Array.from({ length: n }, () => Math.floor(r() * 2 ** 31));
    // The second column repeats the first half so some tuples recur inside the batch and in the next one.
    const small = Array.from({ length: n }, (_, i) => i % 7);
    const first = [columnFromValues(wide, Types.int32), columnFromValues(small, Types.int32)];
    const again = [columnFromValues(wide.slice(0, 3000).concat(wide.slice(0, 3000)), Types.int32), columnFromValues(small.slice(0, 3000).concat(small.slice(0, 3000)), Types.int32)];
    // Narrow first rows, wide rest: the sample says "direct", the full scan must still switch.
    const late = [columnFromValues(Array.from({ length: n }, (_, i) => (i < 2000 ? i % 5 : Math.floor(r() * 2 ** 30))), Types.int32), columnFromValues(small, Types.int32)];
    checkGrouping([Types.int32, Types.int32], [first, again]);
    checkGrouping([Types.int32, Types.int32], [late, first]);
  });

  it("grows slowly widening string keys over many batches (new intern ids each batch)", () => {
    const batches: Column[][] = [];
    for (let b = 0; b < 40; b++) {
      const s = Array.from({ length: 64 }, (_, i) => `k${b * 20 + (i % 25)}`);
      const c = Array.from({ length: 64 }, (_, i) => i % 3);
      batches.push([columnFromValues(s, Types.string), columnFromValues(c, Types.int32)]);
    }
    checkGrouping([Types.string, Types.int32], batches);
  });

  it("handles many groups in hash mode (about one group per row, like a six-column key)", () => {
    const r = rand(3);
    const batches: Column[][] = [];
    const words = Array.from({ length: 300 }, (_, i) => `s${i}`);
    for (let b = 0; b < 4; b++) {
      const n = 3000;
      batches.push([
        dictColumn(Array.from({ length: n }, () => words[Math.floor(r() * 300)]!), words),
        columnFromValues(Array.from({ length: n }, () => Math.floor(r() * 100)), Types.int32),
        columnFromValues(Array.from({ length: n }, () => `u${Math.floor(r() * 3000)}`), Types.string),
        columnFromValues(Array.from({ length: n }, () => Math.floor(r() * 1e5)), Types.int32),
      ]);
    }
    const t = checkGrouping([Types.string, Types.int32, Types.string, Types.int32], batches);
    expect(t.size).toBeGreaterThan(9000);
  });

  it("ignores empty batches and takes all-null (type null) key columns as one null key", () => {
    const t = new KeyTable([Types.string, Types.int32]);
    const out = new Int32Array(4);
    t.map([columnFromValues([], Types.string), columnFromValues([], Types.int32)], 0, out, true);
    expect(t.size).toBe(0);
    expect(t.emitKeys().map((k) => k.length)).toEqual([0, 0]);
    t.map([{ type: Types.null, length: 2 } as Column, { type: Types.null, length: 2 } as Column], 2, out, true);
    t.map([columnFromValues([null, "a"], Types.string), columnFromValues([null, null], Types.int32)], 2, out, true);
    expect(t.size).toBe(2);
    const keys = t.emitKeys();
    expect([valueAt(keys[0]!, 0), valueAt(keys[1]!, 0), valueAt(keys[0]!, 1), valueAt(keys[1]!, 1)]).toEqual([null, null, "a", null]);
  });

  it("emits string keys as plain UTF-8 whether few or many distinct values, nulls included", () => {
    const few = checkGrouping([Types.string, Types.int32], [[
      columnFromValues(Array.from({ length: 400 }, (_, i) => (i % 50 === 0 ? null : `v${i % 3}`)), Types.string),
      columnFromValues(Array.from({ length: 400 }, (_, i) => i % 100), Types.int32),
    ]]);
    expect((few.emitKeys()[0] as { encoding: string }).encoding).toBe("utf8");
    const many = checkGrouping([Types.string, Types.int32], [[
      columnFromValues(Array.from({ length: 400 }, (_, i) => (i % 50 === 0 ? null : `long string number ${i}`)), Types.string),
      columnFromValues(Array.from({ length: 400 }, () => 1), Types.int32),
    ]]);
    expect((many.emitKeys()[0] as { encoding: string }).encoding).toBe("utf8");
  });

  it("groups a single string key (plain and dictionary) with a null group only when a null row appears", () => {
    const t = checkGrouping([Types.string], [[dictColumn(["a", "b", "a"], ["a", "b"])], [columnFromValues(["b", "c"], Types.string)]]);
    expect(t.size).toBe(3);
    const u = checkGrouping([Types.string], [[columnFromValues(["a", null, "a"], Types.string)]]);
    expect(u.size).toBe(2);
  });
});
