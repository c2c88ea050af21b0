/**
 * Spill files: batches written as [u32 header length][JSON header][raw buffers...] records, read
 * back one batch at a time, so an operator can page its state out and back without holding the
 * whole file. Buffers are written as they are (no per-value work); strings stay UTF-8 bytes.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { Batch, Column } from "../column.js";
import type { DataType, Schema } from "../../expr/types.js";

type BufferKind = "Uint8Array" | "Int32Array" | "BigInt64Array" | "Float64Array";
interface ColumnMeta {
  readonly type: DataType;
  readonly length: number;
  readonly encoding?: "utf8" | "dict";
  /** Buffers in write order: [field name, array kind, element count]. */
  readonly buffers: [string, BufferKind, number][];
  readonly dictionary?: ColumnMeta;
  readonly child?: ColumnMeta;
}

const CTORS = { Uint8Array, Int32Array, BigInt64Array, Float64Array } as const;
const FIELDS = ["values", "validity", "offsets", "bytes", "codes"] as const;

function describe(col: Column, out: ArrayBufferView[]): ColumnMeta {
  const rec = col as unknown as Record<string, unknown>;
  const buffers: [string, BufferKind, number][] = [];
  for (const f of FIELDS) {
    const v = rec[f];
    if (ArrayBuffer.isView(v)) {
      buffers.push([f, v.constructor.name as BufferKind, (v as Uint8Array).length]);
      out.push(v);
    }
  }
  const meta: { -readonly [K in keyof ColumnMeta]: ColumnMeta[K] } = { type: col.type, length: col.length, buffers };
  if (typeof rec["encoding"] === "string") meta.encoding = rec["encoding"] as "utf8" | "dict";
  if (rec["dictionary"]) meta.dictionary = describe(rec["dictionary"] as Column, out);
  if (rec["child"]) meta.child = describe(rec["child"] as Column, out);
  return meta;
}

export class SpillWriter {
  private bytes = 0;
  private constructor(private readonly fh: FileHandle, readonly path: string) {}

  static async create(path: string): Promise<SpillWriter> {
    return new SpillWriter(await open(path, "w"), path);
  }

  async write(batch: Batch): Promise<void> {
    const buffers: ArrayBufferView[] = [];
    const header = { schema: batch.schema, length: batch.length, columns: batch.columns.map((c) => describe(c, buffers)) };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, json.length, true);
    const parts: Uint8Array[] = [len, json, ...buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))];
    await this.fh.writev(parts);
    for (const p of parts) this.bytes += p.byteLength;
  }

  /** Total bytes written. */
  get size(): number { return this.bytes; }

  async close(): Promise<void> { await this.fh.close(); }
}

async function readExact(fh: FileHandle, pos: number, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, pos + got);
    if (bytesRead === 0) throw new Error(`spill file ended early (wanted ${n} bytes at ${pos})`);
    got += bytesRead;
  }
  return buf;
}

/** Reads a spill file back, one batch per record. */
export async function* readSpill(path: string): AsyncIterable<Batch> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    let pos = 0;
    while (pos < size) {
      const len = new DataView((await readExact(fh, pos, 4)).buffer).getUint32(0, true);
      pos += 4;
      const header = JSON.parse(new TextDecoder().decode(await readExact(fh, pos, len))) as { schema: Schema; length: number; columns: ColumnMeta[] };
      pos += len;
      const build = async (meta: ColumnMeta): Promise<Column> => {
        const col: Record<string, unknown> = { type: meta.type, length: meta.length, validity: undefined };
        if (meta.encoding) col["encoding"] = meta.encoding;
        for (const [field, kind, count] of meta.buffers) {
          const ctor = CTORS[kind];
          const raw = await readExact(fh, pos, count * ctor.BYTES_PER_ELEMENT);
          pos += raw.byteLength;
          col[field] = new ctor(raw.buffer as ArrayBuffer, 0, count);
        }
        if (meta.dictionary) col["dictionary"] = await build(meta.dictionary);
        if (meta.child) col["child"] = await build(meta.child);
        if (meta.type.kind === "null") delete col["validity"];
        return col as unknown as Column;
      };
      const columns: Column[] = [];
      for (const m of header.columns) columns.push(await build(m));
      yield { schema: header.schema, length: header.length, columns };
    }
  } finally {
    await fh.close();
  }
}
