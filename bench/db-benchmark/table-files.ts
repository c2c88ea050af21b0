/**
 * Writes a generated table as db-benchmark's CSV and as an Arrow IPC file, chunk by chunk, straight
 * from typed arrays: string columns are kept as integers plus a format ("id%03d") and turned into
 * UTF-8 bytes without ever building JS strings (1e7-row string columns as JS strings cost seconds
 * and GBs). Only one chunk of rows is ever materialized as bytes, so 1e8-row tables (6 GB files)
 * are written in a few hundred MB; the Arrow file holds one record batch per chunk, which is also
 * what lets readers stream it back.
 */
import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import * as arrow from "apache-arrow";

export type GeneratedColumn =
  | { readonly name: string; readonly kind: "int32"; readonly values: Int32Array }
  /** digits: values are multiples of 10^-digits (round(x, digits)), which lets CSV print them without String(). */
  | { readonly name: string; readonly kind: "float64"; readonly values: Float64Array; readonly digits?: number }
  /** String column "id" + zero-padded integer (pad 0 = no padding), as R's sprintf("id%03d"). */
  | { readonly name: string; readonly kind: "idstring"; readonly values: Int32Array; readonly pad: number };

/** A table produced chunk by chunk: each chunk is every column's values for the next rows. */
export interface GeneratedTable {
  readonly name: string;
  readonly length: number;
  readonly columnNames: readonly string[];
  chunks(): Iterable<readonly GeneratedColumn[]>;
}

/** Rows per chunk (and per Arrow record batch): ~50-100 MB of file per chunk at db-benchmark widths. */
export const CHUNK_ROWS = 1 << 20;

/** A table whose columns are already whole in memory, cut into chunk views (no copies). */
export function inMemoryTable(name: string, columns: readonly GeneratedColumn[], chunkRows = CHUNK_ROWS): GeneratedTable {
  const length = columns[0]?.values.length ?? 0;
  return {
    name,
    length,
    columnNames: columns.map((c) => c.name),
    *chunks() {
      for (let start = 0; start < length; start += chunkRows) {
        const end = Math.min(length, start + chunkRows);
        yield columns.map((c) => ({ ...c, values: c.values.subarray(start, end) }) as GeneratedColumn);
      }
    },
  };
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

/** Decimal digits of a non-negative integer n < 2^53, written at `pos`; returns the new position. */
function writeUint(out: Uint8Array, pos: number, n: number): number {
  const digits = n < 10 ? 1 : Math.floor(Math.log10(n)) + 1;
  const end = pos + digits;
  for (let p = end - 1, v = n; p >= pos; p--, v = Math.floor(v / 10)) out[p] = ZERO + (v % 10);
  return end;
}

/**
 * x = round(x, digits) as text, the same text String(x) gives: x is the double nearest the decimal
 * k / 10^digits, and with so few significant digits no shorter decimal maps to the same double, so
 * the shortest round-trip form is that decimal with trailing zeros dropped.
 */
function writeRounded(out: Uint8Array, pos: number, x: number, digits: number, scale: number): number {
  if (x < 0) {
    out[pos++] = 45; // -
    x = -x;
  }
  const k = Math.round(x * scale);
  const whole = Math.floor(k / scale);
  let fraction = k - whole * scale;
  pos = writeUint(out, pos, whole);
  if (fraction === 0) return pos;
  let width = digits;
  while (fraction % 10 === 0) {
    fraction /= 10;
    width--;
  }
  out[pos++] = 46; // .
  const end = pos + width;
  for (let p = end - 1, v = fraction; p >= pos; p--, v = Math.floor(v / 10)) out[p] = ZERO + (v % 10);
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

/** One chunk as an Arrow record batch (the schema is the same for every chunk of a table). */
export function toRecordBatch(chunk: readonly GeneratedColumn[]): arrow.RecordBatch {
  const vectors: Record<string, arrow.Vector> = {};
  for (const column of chunk) {
    if (column.kind === "idstring") {
      const { offsets, bytes } = utf8Column(column.values, column.pad);
      vectors[column.name] = arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: column.values.length, valueOffsets: offsets, data: bytes, nullCount: 0 }));
    } else {
      vectors[column.name] = arrow.makeVector(column.values);
    }
  }
  const batches = new arrow.Table(vectors).batches;
  if (batches.length !== 1) throw new Error(`expected one record batch per chunk, got ${batches.length}`);
  return batches[0]!;
}

/**
 * The Arrow writer's byte sink, written straight to a file descriptor: the writer accepts an
 * AsyncByteQueue as its sink, and writing synchronously keeps memory at one batch however fast
 * the generator runs (a piped node stream would queue the whole file when the disk is slower).
 */
class FileSink extends arrow.AsyncByteQueue<Uint8Array> {
  constructor(private readonly fd: number) {
    super();
  }
  // The writer hands its sink only Uint8Arrays (it converts before writing).
  override write(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.byteLength; ) done += writeSync(this.fd, bytes, done, bytes.byteLength - done);
  }
}

/** CSV with a header line, like data.table::fwrite (no quoting needed: no commas in values). */
class CsvWriter {
  private readonly fd: number;
  private buffer = new Uint8Array(1 << 24);
  private readonly encoder = new TextEncoder();

  constructor(path: string, names: readonly string[]) {
    this.fd = openSync(path, "w");
    const header = this.encoder.encode(names.join(",") + "\n");
    writeSync(this.fd, header);
  }

  write(chunk: readonly GeneratedColumn[]): void {
    const rows = chunk[0]?.values.length ?? 0;
    // Widest value: a float64 as text (~24 bytes) or "id" + 10 digits; 32 per column is safe.
    const perBlock = Math.max(1, Math.floor(this.buffer.length / (32 * chunk.length + 1)));
    for (let start = 0; start < rows; start += perBlock) {
      const end = Math.min(rows, start + perBlock);
      let pos = 0;
      for (let i = start; i < end; i++) {
        for (let c = 0; c < chunk.length; c++) {
          const column = chunk[c]!;
          if (c > 0) this.buffer[pos++] = 44; // ,
          pos = this.writeValue(column, i, pos);
        }
        this.buffer[pos++] = 10; // \n
      }
      for (let done = 0; done < pos; ) done += writeSync(this.fd, this.buffer, done, pos - done);
    }
  }

  private writeValue(column: GeneratedColumn, i: number, pos: number): number {
    const out = this.buffer;
    if (column.kind === "idstring") return writeId(out, pos, column.values[i]!, column.pad);
    const v = column.values[i]!;
    if (column.kind === "int32") {
      if (v >= 0) return writeUint(out, pos, v);
    } else if (column.digits !== undefined && Number.isFinite(v) && Math.abs(v) < 1e9) {
      return writeRounded(out, pos, v, column.digits, 10 ** column.digits);
    }
    return pos + this.encoder.encodeInto(String(v), out.subarray(pos)).written;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Writes `<base>.csv` and `<base>.arrow` in one pass over the table's chunks (each chunk is
 * generated once). Files are written under a temporary name and renamed when complete, so an
 * interrupted generation never leaves a file that looks finished.
 */
export function writeTableFiles(table: GeneratedTable, base: string, progress?: (rows: number) => void): void {
  const csvTmp = `${base}.csv.partial`;
  const arrowTmp = `${base}.arrow.partial`;
  const csv = new CsvWriter(csvTmp, table.columnNames);
  const arrowFd = openSync(arrowTmp, "w");
  const writer = new arrow.RecordBatchFileWriter();
  writer.reset(new FileSink(arrowFd));
  let rows = 0;
  try {
    for (const chunk of table.chunks()) {
      csv.write(chunk);
      writer.write(toRecordBatch(chunk));
      rows += chunk[0]?.values.length ?? 0;
      progress?.(rows);
    }
    writer.finish();
  } finally {
    csv.close();
    closeSync(arrowFd);
  }
  if (rows !== table.length) throw new Error(`${table.name}: wrote ${rows} rows, expected ${table.length}`);
  renameSync(csvTmp, `${base}.csv`);
  renameSync(arrowTmp, `${base}.arrow`);
}
