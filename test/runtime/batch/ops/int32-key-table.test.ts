/** Int32KeyTable.mapAll: dense ids in first-seen order, in direct mode and after switching to hashing. */
import { describe, expect, it } from "vitest";
import { Int32KeyTable } from "../../../../runtime/batch/ops/hash-tables.js";

/** Ids the obvious way: a Map from key to first-seen position. */
function referenceIds(batches: number[][]): number[][] {
  const seen = new Map<number, number>();
  return batches.map((b) => b.map((x) => { if (!seen.has(x)) seen.set(x, seen.size); return seen.get(x)!; }));
}

function mapBatches(table: Int32KeyTable, batches: number[][]): number[][] {
  return batches.map((b) => { const out = new Int32Array(b.length); table.mapAll(Int32Array.from(b), b.length, out, true); return [...out]; });
}

describe("Int32KeyTable.mapAll", () => {
  it("gives dense first-seen ids over many batches whose range widens, including empty batches", () => {
    const batches = [[5, 3, 5, 9], [], [3, 1, -4, 100, 5], [200, -50, 1, 1], [7]];
    const t = new Int32KeyTable();
    expect(mapBatches(t, batches)).toEqual(referenceIds(batches));
    expect([...t.keys.subarray(0, t.size)]).toEqual([5, 3, 9, 1, -4, 100, 200, -50, 7]);
  });

  it("keeps ids when the key range grows past the direct span and the table switches to hashing", () => {
    const batches = [[1, 2, 3, 2], [2_000_000, 1, -2_000_000], [3, 2_000_000, 42]];
    const t = new Int32KeyTable();
    expect(mapBatches(t, batches)).toEqual(referenceIds(batches));
  });

  it("lookups without insert give -1 for unseen keys and leave the table unchanged", () => {
    const t = new Int32KeyTable();
    mapBatches(t, [[10, 20, 30]]);
    const out = new Int32Array(5);
    t.mapAll(Int32Array.from([20, 99, 10, -7, 30]), 5, out, false);
    expect([...out]).toEqual([1, -1, 0, -1, 2]);
    expect(t.size).toBe(3);
  });

  it("maps keys at the int32 extremes, in direct mode and beside them", () => {
    const max = 2147483647, min = -2147483648;
    const batches = [[max, max - 1, max], [max - 5, max], [min, max, min + 1], [0, min]];
    const t = new Int32KeyTable();
    expect(mapBatches(t, batches)).toEqual(referenceIds(batches));
    const out = new Int32Array(4);
    t.mapAll(Int32Array.from([min, max - 2, max, 1]), 4, out, false);
    expect([...out]).toEqual([3, -1, 0, -1]);
  });

  it("gives the same ids when new keys keep arriving above and below the range, one batch at a time", () => {
    const batches: number[][] = [];
    for (let k = 0; k < 3000; k++) batches.push([k * 7, -k * 5, k * 7]);
    const t = new Int32KeyTable();
    expect(mapBatches(t, batches)).toEqual(referenceIds(batches));
    expect(t.memoryBytes()).toBeLessThan(4 * 1024 * 1024 + 100_000);
  });

  it("switches to hashing in the middle of a batch and keeps the ids of the rows before the switch", () => {
    const batch = [1, 2, 1, 3, 5_000_000, 2, -9_000_000, 5_000_000, 3, 4];
    const t = new Int32KeyTable();
    expect(mapBatches(t, [batch, [4, 1, 7]])).toEqual(referenceIds([batch, [4, 1, 7]]));
  });
});
