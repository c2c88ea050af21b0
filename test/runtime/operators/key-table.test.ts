import { describe, expect, it } from "vitest";
import type { Column } from "../../../runtime/batch/column.js";
import { KeyTable } from "../../../runtime/batch/ops/key-table.js";
import { Types } from "../../../runtime/expr/types.js";

const int32 = (values: number[], nulls: number[] = []): Column => {
  const validity = nulls.length ? new Uint8Array((values.length + 7) >> 3).fill(255) : undefined;
  for (const i of nulls) validity![i >> 3]! &= ~(1 << (i & 7));
  return { type: Types.int32, length: values.length, values: Int32Array.from(values), validity };
};

describe("KeyTable (int32 keys)", () => {
  it("gives the same id to the same key across batches, also after the key range outgrows direct indexing", () => {
    const t = new KeyTable([Types.int32]);
    const batches = [[5, 7, 5, 9], [7, -3, 5], [2_000_000_000, 5, -2_000_000_000, 7], [9, 2_000_000_000, 11]];
    const seen = new Map<number, number>();
    for (const b of batches) {
      const out = new Int32Array(b.length);
      t.map([int32(b)], b.length, out, true);
      b.forEach((x, i) => {
        if (!seen.has(x)) seen.set(x, out[i]!);
        expect(out[i], `key ${x}`).toBe(seen.get(x));
      });
    }
    expect(t.size).toBe(seen.size);
    const keys = t.emitKeys()[0] as { values: Int32Array };
    for (const [x, id] of seen) expect(keys.values[id]).toBe(x);
  });

  it("looks up without inserting (join probe) and keeps null as its own key", () => {
    const t = new KeyTable([Types.int32]);
    const out = new Int32Array(4);
    t.map([int32([1, 2, 0, 1], [2])], 4, out, true);
    expect(out[0]).toBe(out[3]);
    expect(t.size).toBe(3);
    const probe = new Int32Array(3);
    t.map([int32([2, 3, 99_999_999])], 3, probe, false);
    expect(probe[0]).toBe(out[1]);
    expect([probe[1], probe[2]]).toEqual([-1, -1]);
    expect(t.size).toBe(3);
  });

  it("dictionary keys: null rows may carry any code (even -1) and map to the null key; later batches reuse the dictionary", () => {
    const enc = new TextEncoder();
    const bytes = enc.encode("ab");
    const dictionary = { type: Types.string, length: 2, encoding: "utf8" as const, offsets: Int32Array.of(0, 1, 2), bytes, validity: undefined };
    const t = new KeyTable([Types.string]);
    const b1: Column = { type: Types.string, length: 4, encoding: "dict", codes: Int32Array.of(1, -1, 0, 1), dictionary, validity: Uint8Array.of(0b1101) };
    const out = new Int32Array(4);
    t.map([b1], 4, out, true);
    expect(out[0]).toBe(out[3]);
    expect(new Set(out).size).toBe(3);
    const probe = new Int32Array(2);
    t.map([{ ...b1, length: 2, codes: Int32Array.of(0, 1), validity: undefined }], 2, probe, false);
    expect([probe[0], probe[1]]).toEqual([out[2], out[0]]);
    const keys = t.emitKeys()[0]!;
    expect(keys.length).toBe(3);
  });
});

describe("KeyTable (dictionary-encoded strings)", () => {
  const dictionary = (words: string[]): Column => {
    const bytes = new TextEncoder().encode(words.join(""));
    const offsets = new Int32Array(words.length + 1);
    words.forEach((w, i) => (offsets[i + 1] = offsets[i]! + new TextEncoder().encode(w).length));
    return { type: Types.string, length: words.length, encoding: "utf8", offsets, bytes, validity: undefined };
  };

  it("makes no null group when a validity bitmap is present but every row is valid (rows filtered before)", () => {
    const t = new KeyTable([Types.string]);
    const validity = new Uint8Array([0b0000_1111]); // 4 rows, all valid
    const col = { type: Types.string, length: 4, encoding: "dict", codes: Int32Array.from([0, 1, 0, 1]), dictionary: dictionary(["a", "b"]), validity } as Column;
    const out = new Int32Array(4);
    t.map([col], 4, out, true);
    expect(t.size).toBe(2);
    expect(out[0]).toBe(out[2]);
    expect(out[0]).not.toBe(out[1]);
  });

  it("gives null rows one group of their own", () => {
    const t = new KeyTable([Types.string]);
    const validity = new Uint8Array([0b0000_0101]); // rows 1 and 3 are null
    const col = { type: Types.string, length: 4, encoding: "dict", codes: Int32Array.from([0, 0, 1, 1]), dictionary: dictionary(["a", "b"]), validity } as Column;
    const out = new Int32Array(4);
    t.map([col], 4, out, true);
    expect(t.size).toBe(3);
    expect(out[1]).toBe(out[3]);
  });
});
