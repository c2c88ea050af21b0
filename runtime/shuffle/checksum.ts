/**
 * Per-block checksums: written by the map task, verified by the reading task, so a block that was
 * corrupted or lost between the two makes its producer run again instead of giving a wrong answer.
 */
import type { Batch } from "../batch/column.js";
import { columnArrays } from "../batch/buffers.js";

/**
 * The same value for the same bytes wherever they sit: a spilled block is hashed from views into
 * its batches' buffers (any byte offset) when written, and from fresh buffers when read back.
 */
export function checksumBytes(bytes: Uint8Array, seed: number): number {
  let h = seed | 0;
  const n = bytes.byteLength >>> 2;
  let k = 0;
  if (bytes.byteOffset % 4 === 0) {
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, n);
    for (; k < n; k++) h = (Math.imul(h ^ words[k]!, 0x01000193) + k) | 0;
  } else {
    // Unaligned: assemble each little-endian word from its bytes, as the Int32Array view reads it.
    for (; k < n; k++) {
      const b = 4 * k;
      const word = bytes[b]! | (bytes[b + 1]! << 8) | (bytes[b + 2]! << 16) | (bytes[b + 3]! << 24);
      h = (Math.imul(h ^ word, 0x01000193) + k) | 0;
    }
  }
  for (k *= 4; k < bytes.byteLength; k++) h = (Math.imul(h ^ bytes[k]!, 0x01000193) + k) | 0;
  return (h ^ bytes.byteLength) >>> 0;
}

export function checksumBatches(batches: readonly Batch[]): number {
  let h = 0x811c9dc5;
  for (const b of batches) {
    h = (Math.imul(h ^ b.length, 0x01000193) | 0) >>> 0;
    for (const c of b.columns)
      for (const a of columnArrays(c)) h = checksumBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), h);
  }
  return h >>> 0;
}
