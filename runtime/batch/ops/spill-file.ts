/**
 * Spill files: batches written as [u32 header length][JSON header][raw buffers...] records, read
 * back one batch at a time, so an operator can page its state out and back without holding the
 * whole file. Buffers are written as they are (no per-value work); strings stay UTF-8 bytes.
 *
 * A file may hold several independent ranges (a shuffle map task writes one range per reduce
 * partition into one file); each range is read alone, and a checksum over the bytes of a range is
 * kept while writing and recomputed while reading, so a damaged or truncated file is detected.
 *
 * Dictionaries that stay in memory anyway (a registered table's, in shared memory) can be written
 * by reference, as an index into a list the reader is given back, instead of copying a dictionary
 * of millions of strings into every range that uses a few of its codes.
 */
import { open, type FileHandle } from "node:fs/promises";
import type { Batch, Column } from "../column.js";
import type { DataType, Schema } from "../../expr/types.js";
import { checksumBytes } from "../../shuffle/checksum.js";

type BufferKind = "Uint8Array" | "Int32Array" | "BigInt64Array" | "Float64Array";
interface ColumnMeta {
  readonly type: DataType;
  readonly length: number;
  readonly encoding?: "utf8" | "dict";
  /** Buffers in write order: [field name, array kind, element count]. */
  readonly buffers: [string, BufferKind, number][];
  readonly dictionary?: ColumnMeta;
  /** Index of the dictionary in the reader's DictionaryRefs list, when written by reference. */
  readonly dictionaryRef?: number;
  readonly child?: ColumnMeta;
}

const CTORS = { Uint8Array, Int32Array, BigInt64Array, Float64Array } as const;
const FIELDS = ["values", "validity", "offsets", "bytes", "codes"] as const;
const CHECKSUM_SEED = 0x811c9dc5;

/** Dictionaries written by reference: the writer numbers them, the reader gets the same list back. */
export class DictionaryRefs {
  readonly list: Column[] = [];
  private readonly index = new Map<Column, number>();

  /** `accept` says which dictionaries may be referenced (they must outlive the file's readers). */
  constructor(private readonly accept: (dictionary: Column) => boolean) {}

  refOf(dictionary: Column): number | undefined {
    let i = this.index.get(dictionary);
    if (i !== undefined) return i;
    if (!this.accept(dictionary)) return undefined;
    i = this.list.length;
    this.list.push(dictionary);
    this.index.set(dictionary, i);
    return i;
  }
}

function describe(col: Column, out: ArrayBufferView[], refs: DictionaryRefs | undefined): ColumnMeta {
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
  if (rec["dictionary"]) {
    const dict = rec["dictionary"] as Column;
    const ref = refs?.refOf(dict);
    if (ref !== undefined) meta.dictionaryRef = ref;
    else meta.dictionary = describe(dict, out, refs);
  }
  if (rec["child"]) meta.child = describe(rec["child"] as Column, out, refs);
  return meta;
}

/** Where a range of batches was written, and the checksum of its bytes. */
export interface SpillRange {
  readonly offset: number;
  readonly length: number;
  readonly checksum: number;
}

export class SpillWriter {
  private bytes = 0;
  private rangeStart = 0;
  private rangeChecksum = CHECKSUM_SEED;
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    private readonly refs: DictionaryRefs | undefined,
  ) {}

  static async create(path: string, refs?: DictionaryRefs): Promise<SpillWriter> {
    return new SpillWriter(await open(path, "w"), path, refs);
  }

  async write(batch: Batch): Promise<void> {
    const buffers: ArrayBufferView[] = [];
    const header = { schema: batch.schema, length: batch.length, columns: batch.columns.map((c) => describe(c, buffers, this.refs)) };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, json.length, true);
    const parts: Uint8Array[] = [len, json, ...buffers.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))];
    // libuv writes every buffer (it loops over partial writes and IOV_MAX-sized chunks itself).
    await this.fh.writev(parts);
    for (const p of parts) {
      this.rangeChecksum = checksumBytes(p, this.rangeChecksum);
      this.bytes += p.byteLength;
    }
  }

  /** Ends the current range (everything written since the previous call) and starts the next. */
  endRange(): SpillRange {
    const range = { offset: this.rangeStart, length: this.bytes - this.rangeStart, checksum: this.rangeChecksum >>> 0 };
    this.rangeStart = this.bytes;
    this.rangeChecksum = CHECKSUM_SEED;
    return range;
  }

  /** Total bytes written. */
  get size(): number { return this.bytes; }

  async close(): Promise<void> { await this.fh.close(); }
}

async function readExact(fh: FileHandle, pos: number, n: number, path: string): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, pos + got);
    if (bytesRead === 0) throw new SpillFileDamaged(path, `it ended early (wanted ${n} bytes at ${pos})`);
    got += bytesRead;
  }
  return buf;
}

/** A spill file that cannot be read back as written: truncated, changed or unparsable. */
export class SpillFileDamaged extends Error {
  constructor(readonly path: string, reason: string) {
    super(`spill file ${path} is damaged: ${reason}`);
    this.name = "SpillFileDamaged";
  }
}

export interface ReadSpillOptions {
  /** Start of the range to read (default 0) and its length (default: to the end of the file). */
  readonly offset?: number;
  readonly length?: number;
  /** The list the writer's DictionaryRefs built, for columns written by reference. */
  readonly dictionaries?: readonly Column[];
  /** Called with the checksum of the range's bytes once the range is read to its end. */
  readonly onChecksum?: (checksum: number) => void;
}

/** Reads a spill file (or one range of it) back, one batch per record. */
export async function* readSpill(path: string, options: ReadSpillOptions = {}): AsyncIterable<Batch> {
  const fh = await open(path, "r");
  try {
    const start = options.offset ?? 0;
    const end = options.length !== undefined ? start + options.length : (await fh.stat()).size;
    let pos = start;
    let h = CHECKSUM_SEED;
    const read = async (n: number): Promise<Uint8Array> => {
      if (pos + n > end) throw new SpillFileDamaged(path, `a record runs past the end of its range (${pos + n} > ${end})`);
      const bytes = await readExact(fh, pos, n, path);
      pos += n;
      h = checksumBytes(bytes, h);
      return bytes;
    };
    while (pos < end) {
      const len = new DataView((await read(4)).buffer).getUint32(0, true);
      let header: { schema: Schema; length: number; columns: ColumnMeta[] };
      try {
        header = JSON.parse(new TextDecoder().decode(await read(len))) as typeof header;
      } catch (e) {
        if (e instanceof SpillFileDamaged) throw e;
        throw new SpillFileDamaged(path, `a record header at ${pos - len} is not valid JSON`);
      }
      const build = async (meta: ColumnMeta): Promise<Column> => {
        const col: Record<string, unknown> = { type: meta.type, length: meta.length, validity: undefined };
        if (meta.encoding) col["encoding"] = meta.encoding;
        for (const [field, kind, count] of meta.buffers) {
          const ctor = CTORS[kind];
          if (ctor === undefined) throw new SpillFileDamaged(path, `unknown buffer kind ${String(kind)}`);
          const raw = await read(count * ctor.BYTES_PER_ELEMENT);
          col[field] = new ctor(raw.buffer as ArrayBuffer, 0, count);
        }
        if (meta.dictionaryRef !== undefined) {
          const dict = options.dictionaries?.[meta.dictionaryRef];
          if (dict === undefined) throw new SpillFileDamaged(path, `dictionary #${meta.dictionaryRef} was written by reference but the reader was not given it`);
          col["dictionary"] = dict;
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
    options.onChecksum?.(h >>> 0);
  } finally {
    await fh.close();
  }
}
