/**
 * Assembles a column whose row i comes from row i of `sources[choice[i]]` (choice -1 = null).
 * Used by CASE WHEN; all sources have the result type already.
 */
import type { Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import type { DataType } from "../types.js";
import { allocValues, buildColumn, fixedColumn, nullColumn, valueAt } from "./columns.js";
import { endOf, readerOf, startOf, StringBuilder } from "./strings.js";
import { allNullBitmap, isValid, setValid } from "./validity.js";

type Fixed = Column & { values: Uint8Array | Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };

export function pickPerRow(type: DataType, sources: readonly Column[], choice: Int32Array, length: number): Column {
  if (type.kind === "null") return nullColumn(type, length);
  if (type.kind === "string") {
    const readers = sources.map((s) => readerOf(s));
    const b = new StringBuilder(length);
    for (let i = 0; i < length; i++) {
      const r = choice[i]! >= 0 ? readers[choice[i]!] : undefined;
      if (!r || !isValid(r.validity, i)) b.appendNull();
      else b.appendBytes(r.bytes, startOf(r, i), endOf(r, i));
    }
    return b.finish();
  }
  if (type.kind === "list") {
    const vals = new Array<LiteralValue>(length);
    for (let i = 0; i < length; i++) vals[i] = choice[i]! >= 0 ? valueAt(sources[choice[i]!]!, i) : null;
    return buildColumn(type, vals);
  }
  const out = allocValues(type, length)! as Float64Array;
  const validity = allNullBitmap(length);
  const fixed = sources as readonly Fixed[];
  for (let i = 0; i < length; i++) {
    const k = choice[i]!;
    if (k < 0) continue;
    const s = fixed[k]!;
    if (s.type.kind === "null" || !isValid(s.validity, i)) continue;
    out[i] = (s.values as Float64Array)[i]!;
    setValid(validity, i);
  }
  return fixedColumn(type, out, validity);
}
