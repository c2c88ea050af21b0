/**
 * Dictionary-encoded strings: run a per-value computation once over the dictionary, then map the
 * rows through their codes. A string result keeps the codes (no byte copies); other results are
 * gathered into a plain column.
 */
import type { Column } from "../../batch/column.js";
import { allocValues, fixedColumn, valueAt, buildColumn } from "./columns.js";
import { dictionaryOf, type DictColumn, type StringColumn, type Utf8Column } from "./strings.js";
import { allNullBitmap, isValid, setValid } from "./validity.js";
import type { LiteralValue } from "../ir.js";

type Fixed = Column & { values: Uint8Array | Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };

/** Row i of the result is `perEntry[codes[i]]`, null where the row or the entry is null. */
export function expandByCodes(source: DictColumn, perEntry: Column): Column {
  const n = source.length;
  const codes = source.codes;
  const rowValid = source.validity;
  if (perEntry.type.kind === "null") return { type: perEntry.type, length: n } as Column;
  if (perEntry.type.kind === "string") {
    const entries = perEntry as StringColumn;
    if (entries.encoding === "utf8") {
      const validity = mergeValidity(n, codes, rowValid, entries.validity);
      return { type: entries.type, length: n, encoding: "dict", codes, dictionary: entries, validity } as Column;
    }
  }
  if (perEntry.type.kind === "list" || perEntry.type.kind === "string") {
    const vals = new Array<LiteralValue>(n);
    for (let i = 0; i < n; i++) vals[i] = isValid(rowValid, i) ? valueAt(perEntry, codes[i]!) : null;
    return buildColumn(perEntry.type, vals);
  }
  const src = perEntry as Fixed;
  const out = allocValues(src.type, n)!;
  const sv = src.values as Float64Array;
  const ov = out as Float64Array;
  // Null rows may carry any code (even -1), so only valid rows are looked up.
  if (rowValid === undefined) for (let i = 0; i < n; i++) ov[i] = sv[codes[i]!]!;
  else for (let i = 0; i < n; i++) if (isValid(rowValid, i)) ov[i] = sv[codes[i]!]!;
  return fixedColumn(src.type, out, mergeValidity(n, codes, rowValid, src.validity));
}

function mergeValidity(n: number, codes: Int32Array, rowValid: Uint8Array | undefined, entryValid: Uint8Array | undefined): Uint8Array | undefined {
  if (entryValid === undefined) return rowValid;
  const out = allNullBitmap(n);
  for (let i = 0; i < n; i++) if (isValid(rowValid, i) && isValid(entryValid, codes[i]!)) setValid(out, i);
  return out;
}

export function dictionaryEntries(c: DictColumn): Utf8Column {
  return dictionaryOf(c);
}
