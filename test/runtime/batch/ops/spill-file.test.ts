/** Spill files: ranges read back alone, dictionaries by reference, damage detected. */
import { mkdtempSync, openSync, rmSync, writeSync, closeSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toShared } from "../../../../runtime/batch/buffers.js";
import type { Batch, Column } from "../../../../runtime/batch/column.js";
import { DictionaryRefs, readSpill, SpillWriter, type SpillRange } from "../../../../runtime/batch/ops/spill-file.js";
import { batchesToRows, rowsToBatches } from "../../../../runtime/batch/rows.js";
import type { Schema } from "../../../../runtime/expr/types.js";

const dir = mkdtempSync(join(tmpdir(), "kindling-spill-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema: Schema = {
  fields: [
    { name: "id", type: { kind: "int32" }, nullable: true },
    { name: "name", type: { kind: "string" }, nullable: true },
    { name: "v", type: { kind: "float64" }, nullable: true },
  ],
};
const rowsOf = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, name: (from + i) % 4 === 0 ? null : `n${(from + i) % 7}`, v: (from + i) / 3 }));

/** The same rows with `name` as dictionary codes over one shared dictionary. */
function dictBatch(rows: ReturnType<typeof rowsOf>, dictionary: Column & { encoding: "utf8" }, words: string[]): Batch {
  const plain = rowsToBatches(rows, schema)[0]!;
  const codes = new Int32Array(rows.length);
  rows.forEach((r, i) => (codes[i] = r.name === null ? 0 : words.indexOf(r.name)));
  const name = plain.columns[1] as { validity: Uint8Array | undefined };
  const col: Column = { type: { kind: "string" }, length: rows.length, encoding: "dict", codes, dictionary, validity: name.validity };
  return { schema, length: rows.length, columns: [plain.columns[0]!, col, plain.columns[2]!] };
}

async function readAll(path: string, options: Parameters<typeof readSpill>[1] = {}): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of readSpill(path, options)) out.push(b);
  return out;
}

describe("spill files", () => {
  it("reads each range back alone, with the checksum it was written with", async () => {
    const path = join(dir, "ranges.spill");
    const w = await SpillWriter.create(path);
    const ranges: SpillRange[] = [];
    const written = [rowsOf(0, 100), rowsOf(100, 1), rowsOf(101, 2500)];
    for (const rows of written) {
      for (const b of rowsToBatches(rows, schema, 1000)) await w.write(b);
      ranges.push(w.endRange());
    }
    await w.close();
    expect(ranges[1]!.offset).toBe(ranges[0]!.offset + ranges[0]!.length);
    expect(new Set(ranges.map((r) => r.checksum)).size).toBe(3);
    for (const [i, r] of ranges.entries()) {
      let checksum: number | undefined;
      const batches = await readAll(path, { offset: r.offset, length: r.length, onChecksum: (c) => (checksum = c) });
      expect(batchesToRows(batches)).toEqual(written[i]);
      expect(checksum).toBe(r.checksum);
    }
  });

  it("gives the same checksum for arrays at any byte offset (written from views, read into fresh buffers)", async () => {
    const path = join(dir, "unaligned.spill");
    const w = await SpillWriter.create(path);
    const backing = new Uint8Array(1001);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 31) & 1;
    for (const offset of [0, 1, 2, 3]) {
      const values = backing.subarray(offset, offset + 997);
      await w.write({ schema: { fields: [{ name: "ok", type: { kind: "bool" }, nullable: false }] }, length: values.length, columns: [{ type: { kind: "bool" }, length: values.length, values, validity: undefined }] });
    }
    const range = w.endRange();
    await w.close();
    let checksum: number | undefined;
    const back = await readAll(path, { ...range, onChecksum: (c) => (checksum = c) });
    expect(back).toHaveLength(4);
    expect(checksum).toBe(range.checksum);
  });

  it("writes a shared dictionary by reference, once, and gives it back to the reader", async () => {
    // A big dictionary (~60 KB of strings) of which the rows use 7 words.
    const words = Array.from({ length: 5000 }, (_, i) => (i < 7 ? `n${i}` : `unused-word-${i}`));
    const dictionary = toShared(rowsToBatches(words.map((name) => ({ name })), { fields: [schema.fields[1]!] })[0]!).columns[0] as Column & { encoding: "utf8" };
    const refs = new DictionaryRefs((d) => d === dictionary);
    const path = join(dir, "dict.spill");
    const w = await SpillWriter.create(path, refs);
    const a = dictBatch(rowsOf(0, 50), dictionary, words);
    const b = dictBatch(rowsOf(50, 50), dictionary, words);
    await w.write(a);
    await w.write(b);
    await w.close();
    expect(refs.list).toEqual([dictionary]);
    // Codes and numbers only: the dictionary's bytes are not in the file.
    expect(w.size).toBeLessThan(2 * 50 * (4 + 4 + 8) + 2 * 1500);
    const back = await readAll(path, { dictionaries: refs.list });
    expect(batchesToRows(back)).toEqual(batchesToRows([a, b]));
    expect((back[0]!.columns[1] as { dictionary: Column }).dictionary).toBe(dictionary);
    await expect(readAll(path)).rejects.toThrow(/dictionary #0 was written by reference but the reader was not given it/);
  });

  it("writes a dictionary the refs do not accept into the file", async () => {
    const words = ["n0", "n1", "n2", "n3", "n4", "n5", "n6"];
    const dictionary = rowsToBatches(words.map((name) => ({ name })), { fields: [schema.fields[1]!] })[0]!.columns[0] as Column & { encoding: "utf8" };
    const path = join(dir, "inline-dict.spill");
    const w = await SpillWriter.create(path, new DictionaryRefs(() => false));
    const a = dictBatch(rowsOf(0, 20), dictionary, words);
    await w.write(a);
    await w.close();
    expect(batchesToRows(await readAll(path))).toEqual(batchesToRows([a]));
  });

  it("says the file is damaged when it was cut short, and the checksum tells changed bytes", async () => {
    const path = join(dir, "damaged.spill");
    const w = await SpillWriter.create(path);
    await w.write(rowsToBatches(rowsOf(0, 300), schema)[0]!);
    const range = w.endRange();
    await w.close();
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.from([1, 2, 3, 4]), 0, 4, range.length - 8);
    closeSync(fd);
    let checksum: number | undefined;
    await readAll(path, { ...range, onChecksum: (c) => (checksum = c) });
    expect(checksum).not.toBe(range.checksum);
    truncateSync(path, range.length - 100);
    await expect(readAll(path, range)).rejects.toThrow(/spill file .*damaged\.spill is damaged: it ended early/);
  });
});
