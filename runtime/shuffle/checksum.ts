/**
 * Per-block checksums: written by the map task, verified by the reading task, so a block that was
 * corrupted or lost between the two makes its producer run again instead of giving a wrong answer.
 */
import type { Batch } from "../batch/column.js";
import { columnArrays } from "../batch/buffers.js";

export function checksumBytes(bytes: Uint8Array, seed: number): number {
  let h = seed | 0;
  const words = bytes.byteOffset % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2) : undefined;
  let k = 0;
  if (words !== undefined) {
    for (; k < words.length; k++) h = (Math.imul(h ^ words[k]!, 0x01000193) + k) | 0;
    k *= 4;
  }
  for (; k < bytes.byteLength; k++) h = (Math.imul(h ^ bytes[k]!, 0x01000193) + k) | 0;
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
