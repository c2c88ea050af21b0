/**
 * The values of many groups, collected in arrival order and grouped once at the end (median,
 * percentile). Rows arrive as (group id, value) chunks; partial states arrive as segments that
 * are already grouped (one list per group row), so merging them is a copy per segment, not a
 * scatter per value. Counts per group are kept as chunks arrive, so grouping is one pass: each
 * value is written straight to its group's place in one Float64Array.
 */
import type { Validity } from "../../../batch/column.js";
import type { NumericInput } from "./numeric-kernels.js";

/** Values grouped by group id: group g owns values[offsets[g] .. offsets[g + 1]). */
export interface GroupedValues {
  values: Float64Array;
  offsets: Int32Array;
}

/** Rows: value i belongs to group gids[i] (values may be a view of the input batch). */
interface RowChunk { readonly kind: "rows"; readonly gids: Int32Array; readonly values: Float64Array; length: number }
/** Segments: group gids[r] owns values[starts[r] .. starts[r + 1]) (views of the merged batch). */
interface SegmentChunk { readonly kind: "segments"; readonly gids: Int32Array; readonly starts: Int32Array; readonly values: Float64Array; readonly length: number }

/** Small appends share one chunk of this many rows; bigger ones get an exact-size chunk. */
const SHARED_CHUNK_ROWS = 65536;
/** Below this many values per segment on average, grouping into one array beats per-group gathers. */
const SHORT_SEGMENT = 8;
/** Segments at least this long are copied with set() (memcpy); shorter ones by a loop. */
const COPY_WITH_SET = 24;

export class ValueGroups {
  private chunks: (RowChunk | SegmentChunk)[] = [];
  private counts = new Int32Array(16);
  private bytes = 0;

  /** Appends the valid values of rows [0, length); value i goes to group gids[i]. */
  addRows(gids: Int32Array, input: NumericInput, length: number, numGroups: number): void {
    if (input.kind === "none" || length === 0) return;
    const counts = this.countsFor(numGroups);
    if (input.kind === "f64" && input.validity === undefined && length >= SHARED_CHUNK_ROWS / 4) {
      // A large float64 batch without nulls is kept as a view (batches are immutable once
      // produced); only the group ids are copied, the caller reuses that array.
      const ids = gids.slice(0, length);
      for (let i = 0; i < length; i++) counts[ids[i]!]!++;
      this.chunks.push({ kind: "rows", gids: ids, values: input.values.subarray(0, length), length });
      this.bytes += length * 12;
      return;
    }
    const chunk = this.rowChunkFor(length);
    const ids = chunk.gids, vals = chunk.values, v = input.values, validity: Validity = input.validity;
    let n = chunk.length;
    if (validity === undefined) {
      ids.set(gids.subarray(0, length), n);
      if (input.kind === "f64") vals.set(input.values.subarray(0, length), n);
      else for (let i = 0; i < length; i++) vals[n + i] = v[i]!;
      for (let i = 0; i < length; i++) counts[gids[i]!]!++;
      n += length;
    } else {
      for (let i = 0; i < length; i++) {
        if (((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
        const g = gids[i]!;
        vals[n] = v[i]!; ids[n] = g; counts[g]!++; n++;
      }
    }
    chunk.length = n;
  }

  /**
   * Appends already grouped values: row r (group gids[r]) owns values[offsets[r] .. offsets[r + 1]).
   * Only the group ids are copied (the caller reuses that array); offsets and values are kept as
   * views: batches are immutable once produced (a shuffle block is read-only shared memory).
   */
  addSegments(gids: Int32Array, offsets: Int32Array, values: Float64Array, length: number, numGroups: number): void {
    if (length === 0) return;
    const counts = this.countsFor(numGroups);
    for (let r = 0; r < length; r++) counts[gids[r]!]! += offsets[r + 1]! - offsets[r]!;
    const chunk: SegmentChunk = { kind: "segments", gids: gids.slice(0, length), starts: offsets.subarray(0, length + 1), values, length };
    this.chunks.push(chunk);
    this.bytes += chunk.gids.byteLength + 4 * (length + 1) + 8 * (offsets[length]! - offsets[0]!);
  }

  /**
   * Calls visit once per group with that group's values in a[s..e) (visit may reorder them).
   * When every chunk is a segment chunk (a final aggregate), each group is gathered into one
   * small scratch buffer that stays in cache for the visit, instead of first writing all values
   * to a fresh array as large as the input (page faults, then a second trip through memory).
   */
  eachGroup(numGroups: number, visit: (a: Float64Array, s: number, e: number, g: number) => void): void {
    let segments = 0, values = 0;
    for (const c of this.chunks) { segments += c.length; if (c.kind === "segments") values += c.starts[c.length]! - c.starts[0]!; }
    // Rows need a scatter anyway; and when segments are short (many small groups), gathering
    // group by group costs more per value than one scatter into a single array.
    if (!this.chunks.every((c) => c.kind === "segments") || segments * SHORT_SEGMENT > values) {
      const { values, offsets } = this.group(numGroups);
      for (let g = 0; g < numGroups; g++) visit(values, offsets[g]!, offsets[g + 1]!, g);
      return;
    }
    const chunks = this.chunks as SegmentChunk[];
    const counts = this.countsFor(numGroups);
    // Segments ordered by group: a counting sort of (chunk, row) pairs on the group id.
    const rows = segments;
    let largest = 0;
    const first = new Int32Array(numGroups + 1);
    for (const c of chunks) for (let r = 0; r < c.length; r++) first[c.gids[r]! + 1]!++;
    for (let g = 0; g < numGroups; g++) { first[g + 1]! += first[g]!; if (counts[g]! > largest) largest = counts[g]!; }
    const at = first.slice(0, numGroups);
    const segChunk = new Int32Array(rows), segRow = new Int32Array(rows);
    chunks.forEach((c, ci) => {
      for (let r = 0; r < c.length; r++) { const k = at[c.gids[r]!]!++; segChunk[k] = ci; segRow[k] = r; }
    });
    const scratch = new Float64Array(largest);
    for (let g = 0; g < numGroups; g++) {
      let n = 0;
      for (let k = first[g]!; k < first[g + 1]!; k++) {
        const c = chunks[segChunk[k]!]!, r = segRow[k]!;
        n = copyInto(scratch, n, c.values, c.starts[r]!, c.starts[r + 1]!);
      }
      visit(scratch, 0, n, g);
    }
    this.release();
  }

  /** Every value written to its group's slice, groups in id order. Releases the chunks. */
  group(numGroups: number): GroupedValues {
    const counts = this.countsFor(numGroups);
    const offsets = new Int32Array(numGroups + 1);
    for (let g = 0; g < numGroups; g++) offsets[g + 1] = offsets[g]! + counts[g]!;
    const cursor = offsets.slice(0, numGroups);
    const out = new Float64Array(offsets[numGroups]!);
    for (const chunk of this.chunks) {
      if (chunk.kind === "rows") scatterRows(chunk, cursor, out);
      else copySegments(chunk, cursor, out);
    }
    this.release();
    return { values: out, offsets };
  }

  private release(): void {
    this.chunks = [];
    this.counts = new Int32Array(16);
    this.bytes = 0;
  }

  memoryBytes(): number {
    return this.bytes + this.counts.byteLength;
  }

  private countsFor(numGroups: number): Int32Array {
    if (this.counts.length < numGroups) {
      const next = new Int32Array(Math.max(numGroups, this.counts.length * 2));
      next.set(this.counts);
      this.counts = next;
    }
    return this.counts;
  }

  private rowChunkFor(rows: number): RowChunk {
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined && last.kind === "rows" && last.values.length - last.length >= rows) return last;
    const size = rows >= SHARED_CHUNK_ROWS / 4 ? rows : SHARED_CHUNK_ROWS;
    const chunk: RowChunk = { kind: "rows", gids: new Int32Array(size), values: new Float64Array(size), length: 0 };
    this.chunks.push(chunk);
    this.bytes += size * 12;
    return chunk;
  }
}

function scatterRows(chunk: RowChunk, cursor: Int32Array, out: Float64Array): void {
  const ids = chunk.gids, vals = chunk.values, n = chunk.length;
  for (let i = 0; i < n; i++) out[cursor[ids[i]!]!++] = vals[i]!;
}

function copySegments(chunk: SegmentChunk, cursor: Int32Array, out: Float64Array): void {
  const ids = chunk.gids, starts = chunk.starts, vals = chunk.values;
  for (let r = 0; r < chunk.length; r++) {
    const g = ids[r]!;
    cursor[g] = copyInto(out, cursor[g]!, vals, starts[r]!, starts[r + 1]!);
  }
}

/** Copies src[s..e) to out[at..]; returns the position after it. */
function copyInto(out: Float64Array, at: number, src: Float64Array, s: number, e: number): number {
  if (e - s >= COPY_WITH_SET) out.set(src.subarray(s, e), at);
  else for (let k = s; k < e; k++) out[at + k - s] = src[k]!;
  return at + e - s;
}
