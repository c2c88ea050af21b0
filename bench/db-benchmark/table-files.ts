/**
 * Writes a generated table as db-benchmark's CSV and as an Arrow IPC file, straight from typed
 * arrays: string columns are kept as integers plus a format ("id%03d") and turned into UTF-8 bytes
 * without ever building JS strings (1e7-row string columns as JS strings cost seconds and GBs).
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import * as arrow from "apache-arrow";

export type GeneratedColumn =
  | { readonly name: string; readonly kind: "int32"; readonly values: Int32Array }
  | { readonly name: string; readonly kind: "float64"; readonly values: Float64Array }
  /** String column "id" + zero-padded integer (pad 0 = no padding), as R's sprintf("id%03d"). */
  | { readonly name: string; readonly kind: "idstring"; readonly values: Int32Array; readonly pad: number };

export interface GeneratedTable {
  readonly name: string;
  readonly columns: readonly GeneratedColumn[];
  readonly length: number;
}

const ZERO = 48;

/** UTF-8 bytes of "id" + zero-padded n, written at `pos`; returns the new position. */
function writeId(out: Uint8Array, pos: number, n: number, pad: number): number {
  out[pos++] = 105; // i
  out[pos++] = 100; // d
  const digits = n === 0 ? 1 : Math.floor(Math.log10(n)) + 1;
  for (let z = digits; z < pad; z++) out[pos++] = ZERO;
  let end = pos + digits;
  for (let p = end - 1, v = n; p >= pos; p--, v = Math.floor(v / 10)) out[p] = ZERO + (v % 10);
  return end;
}

function idWidth(n: number, pad: number): number {
  const digits = n === 0 ? 1 : Math.floor(Math.log10(n)) + 1;
  return 2 + Math.max(digits, pad);
}

function utf8Column(values: Int32Array, pad: number): { offsets: Int32Array; bytes: Uint8Array } {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += idWidth(values[i]!, pad);
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0, pos = 0; i < values.length; i++) pos = writeId(bytes, pos, values[i]!, pad);
  return { offsets, bytes };
}

export function toArrowTable(table: GeneratedTable): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  for (const column of table.columns) {
    if (column.kind === "int32") {
      vectors[column.name] = arrow.makeVector(column.values);
    } else if (column.kind === "float64") {
      vectors[column.name] = arrow.makeVector(column.values);
    } else {
      const { offsets, bytes } = utf8Column(column.values, column.pad);
      const data = arrow.makeData({ type: new arrow.Utf8(), length: column.values.length, valueOffsets: offsets, data: bytes, nullCount: 0 });
      vectors[column.name] = arrow.makeVector(data);
    }
  }
  return new arrow.Table(vectors);
}

export async function writeArrowFile(table: GeneratedTable, path: string): Promise<void> {
  const bytes = arrow.tableToIPC(toArrowTable(table), "file");
  const out = createWriteStream(path);
  out.end(bytes);
  await once(out, "finish");
}

/** CSV with a header line, like data.table::fwrite (no quoting needed: no commas in values). */
export async function writeCsvFile(table: GeneratedTable, path: string): Promise<void> {
  const out = createWriteStream(path);
  const encoder = new TextEncoder();
  out.write(table.columns.map((c) => c.name).join(",") + "\n");
  const chunkRows = 65536;
  const buffer = new Uint8Array(chunkRows * 256);
  for (let start = 0; start < table.length; start += chunkRows) {
    const end = Math.min(table.length, start + chunkRows);
    let pos = 0;
    for (let i = start; i < end; i++) {
      for (let c = 0; c < table.columns.length; c++) {
        const column = table.columns[c]!;
        if (c > 0) buffer[pos++] = 44; // ,
        if (column.kind === "idstring") pos = writeId(buffer, pos, column.values[i]!, column.pad);
        else pos += encoder.encodeInto(String(column.values[i]), buffer.subarray(pos)).written;
      }
      buffer[pos++] = 10; // \n
    }
    if (!out.write(buffer.slice(0, pos))) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
