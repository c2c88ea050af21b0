/**
 * KeyTable over one dictionary-encoded string key (group-by q1): ids per dictionary code are
 * remembered while batches share a dictionary. Whatever the mix of shared dictionaries, new
 * dictionaries, plain UTF-8 batches and null rows, ids must be dense, in first-seen order, and
 * the emitted keys must be the strings.
 */
import { describe, expect, it } from "vitest";
import type { Column } from "../../../../runtime/batch/column.js";
import { Types } from "../../../../runtime/expr/types.js";
import { KeyTable } from "../../../../runtime/batch/ops/key-table.js";
import { columnFromValues, valueAt } from "../../../../runtime/batch/rows.js";

type Utf8 = Extract<Column, { encoding: "utf8" }>;

function dictionary(words: string[]): Utf8 {
  return columnFromValues(words, Types.string) as Utf8;
}

function dictColumn(dict: Utf8, codes: number[], nulls: number[] = []): Column {
  let validity: Uint8Array | undefined;
  if (nulls.length) {
    validity = new Uint8Array((codes.length + 7) >> 3).fill(255);
    for (const i of nulls) validity[i >> 3]! &= ~(1 << (i & 7));
  }
  return { type: Types.string, length: codes.length, encoding: "dict", codes: Int32Array.from(codes), dictionary: dict, validity } as Column;
}

function strings(col: Column): (string | null)[] {
  return Array.from({ length: col.length }, (_, i) => valueAt(col, i) as string | null);
}

function referenceIds(batches: (string | null)[][]): number[][] {
  const seen = new Map<string | null, number>();
  return batches.map((b) => b.map((s) => { if (!seen.has(s)) seen.set(s, seen.size); return seen.get(s)!; }));
}

describe("KeyTable on a dictionary-encoded string key", () => {
  it("gives first-seen ids across a shared dictionary, a new dictionary, plain batches, null rows and empty batches", () => {
    const d1 = dictionary(["b", "a", "c", "d"]), d2 = dictionary(["d", "e", "a"]);
    const batches: Column[] = [
      dictColumn(d1, [1, 1, 0, 1, 2, 0]),
      dictColumn(d1, []),
      dictColumn(d1, [2, 3, 1, 3]), // same dictionary: "d" first seen mid-batch
      dictColumn(d2, [1, 0, 2, 1]), // new dictionary: "e" new, "d"/"a" known
      columnFromValues(["f", "a", null, "e"], Types.string),
      dictColumn(d1, [0, 3, 1, 0], [1]), // a null row among codes
      dictColumn(d2, [2, 2, 1]),
    ];
    const t = new KeyTable([Types.string]);
    const got = batches.map((c) => { const out = new Int32Array(c.length); t.map([c], c.length, out, true); return [...out]; });
    const expected = referenceIds(batches.map(strings));
    expect(got).toEqual(expected);
    expect(strings(t.emitKeys()[0]!)).toEqual(["a", "b", "c", "d", "e", "f", null]);
  });

  it("probes (no insert) after dictionary inserts: unknown strings give -1", () => {
    const d = dictionary(["x", "y", "z"]);
    const t = new KeyTable([Types.string]);
    const out = new Int32Array(4);
    t.map([dictColumn(d, [2, 0, 2, 0])], 4, out, true);
    expect([...out]).toEqual([0, 1, 0, 1]);
    t.map([dictColumn(d, [0, 1, 2, 1])], 4, out, false);
    expect([...out]).toEqual([1, -1, 0, -1]);
    expect(t.size).toBe(2);
  });

  it.each([250, 3000])("keeps ids for many codes over many batches sharing one dictionary of %i entries (by codes up to 256)", (entries) => {
    const words = Array.from({ length: entries }, (_, i) => `w${i}`);
    const d = dictionary(words);
    const t = new KeyTable([Types.string]);
    const batches: number[][] = [];
    for (let b = 0; b < 20; b++) batches.push(Array.from({ length: 500 }, (_, i) => (i * 7 + b * 131) % Math.min(entries, 150 * (b + 1))));
    const got = batches.map((codes) => { const out = new Int32Array(codes.length); t.map([dictColumn(d, codes)], codes.length, out, true); return [...out]; });
    expect(got).toEqual(referenceIds(batches.map((codes) => codes.map((c) => words[c]!))));
  });
});
