/**
 * Concatenate columns/batches of one partition (sort, window and join build sides need the whole
 * partition). Dictionary columns keep their codes when every piece shares one dictionary, get one
 * merged dictionary when the pieces' dictionaries are small next to the rows (a shuffled
 * low-cardinality column: one dictionary per source partition), and become plain UTF-8 otherwise.
 */
import type { DictColumn, ListColumn, StringColumn, Utf8Column } from "./column-types.js";
import type { Batch, Column, Validity } from "../column.js";
import type { Schema } from "../../expr/types.js";
import { bitmapBytes, isValidAt } from "./validity.js";
import { decodeDictionary, emptyColumn, takeColumn as takeRange } from "./take.js";
import { mergeDictionaries } from "../dictionary.js";

/**
 * Dictionary pieces with different dictionaries, as codes over one merged dictionary, when the
 * dictionaries together have at most half as many entries as there are rows (else undefined).
 */
function concatMergingDictionaries(cols: readonly Column[], total: number, validity: Validity): DictColumn | undefined {
  const dicts: Utf8Column[] = [];
  const index = new Map<Utf8Column, number>();
  let entries = 0;
  for (const c of cols) {
    if (c.type.kind === "null" || (c as StringColumn).encoding !== "dict") return undefined;
    const d = (c as DictColumn).dictionary as Utf8Column;
    if (index.has(d)) continue;
    index.set(d, dicts.length);
    dicts.push(d);
    entries += d.length;
  }
  const limit = Math.floor(total / 2);
  if (entries > limit) return undefined;
  const merged = mergeDictionaries(dicts, limit);
  if (merged === undefined) return undefined;
  const codes = new Int32Array(total);
  let o = 0;
  for (const c of cols) {
    const d = c as DictColumn;
    const remap = merged.remaps[index.get(d.dictionary as Utf8Column)!]!;
    const src = d.codes;
    // Null rows' codes may be anything the producer left; the validity bitmap says null.
    for (let i = 0; i < d.length; i++) codes[o + i] = remap[src[i]!] ?? 0;
    o += d.length;
  }
  return { type: cols[0]!.type as DictColumn["type"], length: total, encoding: "dict", codes, dictionary: merged.dictionary, validity };
}

function concatValidity(cols: readonly Column[], total: number): Validity {
  if (!cols.some((c) => c.type.kind === "null" || (c as { validity: Validity }).validity !== undefined)) return undefined;
  const out = new Uint8Array(bitmapBytes(total));
  let o = 0;
  for (const c of cols) {
    const v = c.type.kind === "null" ? null : (c as { validity: Validity }).validity;
    for (let i = 0; i < c.length; i++, o++) if (v !== null && isValidAt(v, i)) out[o >>> 3]! |= 1 << (o & 7);
  }
  return out;
}

export function concatColumns(cols: readonly Column[], type: Column["type"]): Column {
  if (cols.length === 1) return cols[0]!;
  if (cols.length === 0) return emptyColumn(type);
  let total = 0;
  for (const c of cols) total += c.length;
  const validity = concatValidity(cols, total);
  switch (type.kind) {
    case "null":
      return { type: type as never, length: total };
    case "bool": case "int32": case "date": case "int64": case "timestamp": case "decimal": case "float64": {
      const first = (cols[0] as { values: Uint8Array | Int32Array | BigInt64Array | Float64Array }).values;
      const out = new (first.constructor as new (n: number) => typeof first)(total);
      let o = 0;
      for (const c of cols) {
        if (c.type.kind !== "null") out.set((c as { values: typeof first }).values.subarray(0, c.length) as never, o);
        o += c.length;
      }
      return { ...(cols[0] as object), length: total, values: out, validity } as Column;
    }
    case "string": {
      const first = cols[0] as StringColumn;
      if (first.encoding === "dict" && cols.every((c) => (c as { dictionary?: unknown }).dictionary === first.dictionary)) {
        const codes = new Int32Array(total);
        let o = 0;
        for (const c of cols) { codes.set((c as { codes: Int32Array }).codes.subarray(0, c.length), o); o += c.length; }
        return { type: first.type, length: total, encoding: "dict", codes, dictionary: first.dictionary, validity };
      }
      const merged = first.encoding === "dict" ? concatMergingDictionaries(cols, total, validity) : undefined;
      if (merged !== undefined) return merged;
      const plain = cols.map((c) => (c.type.kind === "null" ? emptyUtf8(c.length) : (decodeDictionary(c) as Utf8Column)));
      let bytesTotal = 0;
      for (const c of plain) bytesTotal += c.offsets[c.length]! - c.offsets[0]!;
      const offsets = new Int32Array(total + 1);
      const bytes = new Uint8Array(bytesTotal);
      let row = 0, b = 0;
      for (const c of plain) {
        const base = c.offsets[0]!;
        bytes.set(c.bytes.subarray(base, c.offsets[c.length]!), b);
        for (let i = 0; i < c.length; i++) offsets[row + i + 1] = b + c.offsets[i + 1]! - base;
        row += c.length;
        b += c.offsets[c.length]! - base;
      }
      return { type: type as never, length: total, encoding: "utf8", offsets, bytes, validity };
    }
    case "list": {
      const lists = cols as readonly (ListColumn)[];
      const offsets = new Int32Array(total + 1);
      let row = 0, base = 0;
      for (const l of lists) {
        const start = l.offsets[0]!;
        for (let i = 0; i < l.length; i++) offsets[row + i + 1] = base + l.offsets[i + 1]! - start;
        row += l.length;
        base += l.offsets[l.length]! - start;
      }
      const children = lists.map((l) => sliceChild(l));
      return { type: type as never, length: total, offsets, child: concatColumns(children, type.element), validity };
    }
  }
}

function emptyUtf8(length: number): Utf8Column {
  return { type: { kind: "string" }, length, encoding: "utf8", offsets: new Int32Array(length + 1), bytes: new Uint8Array(0), validity: undefined };
}

function sliceChild(l: ListColumn): Column {
  const start = l.offsets[0]!, end = l.offsets[l.length]!;
  if (start === 0 && end === l.child.length) return l.child;
  const idx = new Int32Array(end - start);
  for (let i = 0; i < idx.length; i++) idx[i] = start + i;
  return takeRange(l.child, idx);
}

export function concatBatches(batches: readonly Batch[], schema: Schema): Batch {
  const nonEmpty = batches.filter((b) => b.length > 0);
  if (nonEmpty.length === 1) return { schema, length: nonEmpty[0]!.length, columns: nonEmpty[0]!.columns };
  let total = 0;
  for (const b of nonEmpty) total += b.length;
  return {
    schema,
    length: total,
    columns: schema.fields.map((f, i) => concatColumns(nonEmpty.map((b) => b.columns[i]!), f.type)),
  };
}
