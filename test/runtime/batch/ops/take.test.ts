/**
 * Gathers of ops/take: values and nulls of the gathered rows (-1 = null padding), for every column
 * layout, with the shared pad bitmap and dictionary codes of takeColumns and the dictionary views
 * of selectColumns.
 */
import { describe, expect, it } from "vitest";
import type { Column } from "../../../../runtime/batch/column.js";
import { toShared } from "../../../../runtime/batch/buffers.js";
import { columnFromValues, valueAt } from "../../../../runtime/batch/rows.js";
import { selectAsDictionaryView, selectColumns, takeColumns } from "../../../../runtime/batch/ops/take.js";
import { Types, type DataType } from "../../../../runtime/expr/types.js";

const values = (c: Column): unknown[] => Array.from({ length: c.length }, (_, i) => valueAt(c, i));
const pick = (src: unknown[], idx: number[]): unknown[] => idx.map((j) => (j < 0 ? null : src[j]));
const encoding = (c: Column): string | undefined => ("encoding" in c ? c.encoding : undefined);

/** A column of `values` in shared memory (as registered tables are). */
function sharedColumn(vals: unknown[], type: DataType): Column {
  const col = columnFromValues(vals, type);
  return toShared({ schema: { fields: [{ name: "c", type, nullable: true }] }, length: col.length, columns: [col] }).columns[0]!;
}

const ints = Array.from({ length: 21 }, (_, i) => i * 3 - 7);
const floats = Array.from({ length: 21 }, (_, i) => (i % 4 === 0 ? null : i / 8));
const strings = Array.from({ length: 21 }, (_, i) => (i % 5 === 2 ? null : `s${i}-${"x".repeat(i % 7)}`));

describe("takeColumns", () => {
  // Lengths around a whole byte of the bitmap: 0, under 8, exactly 8, 8 + a tail, many bytes.
  const lists: number[][] = [[], [3, -1, 5], [0, 1, 2, -1, 4, 5, -1, 7], [-1, 20, 19, -1, 0, 0, 3, 8, 9, -1, 11, 2, -1], Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -1 : (i * 7) % 21))];
  for (const idx of lists) {
    it(`gathers ${idx.length} rows with ${idx.filter((j) => j < 0).length} padded: values, nulls and small-side dictionaries`, () => {
      const cols = [columnFromValues(ints, Types.int32), columnFromValues(floats, Types.float64), columnFromValues(strings, Types.string), columnFromValues(strings.map((s) => s ?? "z"), Types.string)];
      const out = takeColumns(cols, Int32Array.from(idx), idx.length, 100);
      expect(out.map(values)).toEqual([pick(ints, idx), pick(floats, idx), pick(strings, idx), pick(strings.map((s) => s ?? "z"), idx)]);
      expect(out.slice(2).map(encoding)).toEqual(["dict", "dict"]);
      // Without dictionaryUpTo the strings are copied as UTF-8.
      const plain = takeColumns(cols, Int32Array.from(idx));
      expect(plain.map(encoding)).toEqual([undefined, undefined, "utf8", "utf8"]);
      expect(plain.map(values)).toEqual(out.map(values));
    });
  }

  it("copies UTF-8 values of every length (empty, under a word, word tails, 64+ bytes, multi-byte) to any row order", () => {
    const long = Array.from({ length: 75 }, (_, i) => (i % 11 === 10 ? null : "é".repeat(i % 3) + "abcdefghij".repeat(8).slice(0, i)));
    const idx = Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? -1 : (i * 31) % long.length));
    const [out] = takeColumns([columnFromValues(long, Types.string)], Int32Array.from(idx));
    expect(values(out!)).toEqual(pick(long, idx));
  });

  it("an index list without -1 gives columns without a validity bitmap where the source has none", () => {
    const out = takeColumns([columnFromValues(ints, Types.int32)], Int32Array.from([4, 4, 0, 20]));
    expect(values(out[0]!)).toEqual([ints[4], ints[4], ints[0], ints[20]]);
    expect((out[0] as { validity?: Uint8Array }).validity).toBeUndefined();
  });
});

describe("selectColumns / selectAsDictionaryView", () => {
  it("selected rows of shared UTF-8 come out as a dictionary view with the same values and nulls", () => {
    const col = sharedColumn(strings, Types.string);
    const sel = [1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 14];
    const [out] = selectColumns([col], Int32Array.from(sel));
    expect(encoding(out!)).toBe("dict");
    expect(values(out!)).toEqual(pick(strings, sel));
    // The dictionary covers only the selected range, not the whole source column.
    expect((out as { dictionary: Column }).dictionary.length).toBe(14);
  });

  it("falls back to copying when the bytes are not shared or the selection is sparse", () => {
    const sel = Int32Array.from([0, 9, 20]);
    const notShared = columnFromValues(strings, Types.string);
    expect(selectAsDictionaryView(notShared as never, sel)).toBeUndefined();
    const shared = sharedColumn(strings, Types.string);
    expect(selectAsDictionaryView(shared as never, sel)).toBeUndefined();
    for (const c of [notShared, shared]) {
      const [out] = selectColumns([c], sel);
      expect(encoding(out!)).toBe("utf8");
      expect(values(out!)).toEqual(pick(strings, [...sel]));
    }
  });

  it("numbers, dictionary codes and empty selections keep their values", () => {
    const cols = [sharedColumn(ints, Types.int32), sharedColumn(floats, Types.float64)];
    const sel = [0, 2, 3, 4, 20];
    expect(selectColumns(cols, Int32Array.from(sel)).map(values)).toEqual([pick(ints, sel), pick(floats, sel)]);
    expect(selectColumns([...cols, sharedColumn(strings, Types.string)], new Int32Array(0)).map((c) => c.length)).toEqual([0, 0, 0]);
  });
});
