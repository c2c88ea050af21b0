import { describe, expect, it } from "vitest";
import type { Column } from "../../../runtime/batch/column.js";
import { columnFromValues } from "../../../runtime/batch/rows.js";
import { HASH_VERSION, NULL_HASH, hashBytes, hashColumns, partitionOf } from "../../../runtime/shuffle/hash.js";
import { Types } from "../../../runtime/expr/types.js";

const enc = new TextEncoder();

describe("hashColumns (HASH_VERSION 1)", () => {
  it("is version 1 and matches murmur3_x86_32 reference values over UTF-8 bytes", () => {
    expect(HASH_VERSION).toBe(1);
    // Reference values of MurmurHash3_x86_32 with seed 0.
    expect(hashBytes(enc.encode(""), 0, 0)).toBe(0);
    expect(hashBytes(enc.encode("hello"), 0, 5)).toBe(0x248bfa47);
    expect(hashBytes(enc.encode("The quick brown fox jumps over the lazy dog"), 0, 43)).toBe(0x2e4ff723);
  });

  it("hashes a dictionary string column exactly like the same strings in UTF-8", () => {
    const words = ["a", "bb", null, "ccc", "a", "日本", "bb"];
    const utf8 = columnFromValues(words, Types.string);
    const dictionary = columnFromValues(["a", "bb", "ccc", "日本"], Types.string) as Column & { encoding: "utf8" };
    const dict: Column = {
      type: { kind: "string" },
      length: 7,
      encoding: "dict",
      codes: Int32Array.from([0, 1, 0, 2, 0, 3, 1]),
      dictionary,
      validity: (utf8 as { validity: Uint8Array | undefined }).validity,
    };
    expect([...hashColumns([dict], 7)]).toEqual([...hashColumns([utf8], 7)]);
  });

  it("gives nulls one constant in every type and normalizes -0 and NaN", () => {
    const ints = columnFromValues([null, 1], Types.int32);
    const strs = columnFromValues([null, "x"], Types.string);
    expect(hashColumns([ints], 2)[0]).toBe(NULL_HASH);
    expect(hashColumns([strs], 2)[0]).toBe(NULL_HASH);
    const floats = columnFromValues([0, -0, NaN, -NaN, 1.5], Types.float64);
    const h = hashColumns([floats], 5);
    expect(h[0]).toBe(h[1]);
    expect(h[2]).toBe(h[3]);
    expect(h[0]).not.toBe(h[4]);
  });

  it("hashes int64 values that fit in int32 like int32, and distinguishes large ones", () => {
    const small = [0, 1, -1, 123456, -2147483648];
    const i32 = hashColumns([columnFromValues(small, Types.int32)], small.length);
    const i64 = hashColumns([columnFromValues(small.map(BigInt), Types.int64)], small.length);
    expect([...i64]).toEqual([...i32]);
    const big = hashColumns([columnFromValues([2n ** 40n, 2n ** 40n + 1n, -(2n ** 40n)], Types.int64)], 3);
    expect(new Set(big).size).toBe(3);
  });

  it("depends on every key column and their order", () => {
    const a = columnFromValues([1, 2], Types.int32);
    const b = columnFromValues([2, 1], Types.int32);
    const ab = hashColumns([a, b], 2);
    const ba = hashColumns([b, a], 2);
    expect(ab[0]).not.toBe(ba[0]);
    expect(ab[0]).not.toBe(hashColumns([a], 2)[0]);
  });

  it("spreads sequential integer keys evenly over partitions", () => {
    const n = 80_000;
    const keys = columnFromValues(Array.from({ length: n }, (_, i) => i), Types.int32);
    const h = hashColumns([keys], n);
    const counts = new Array(8).fill(0) as number[];
    for (const x of h) counts[partitionOf(x, 8)]!++;
    for (const c of counts) expect(Math.abs(c - n / 8)).toBeLessThan(n / 8 / 10);
  });
});
