/**
 * Validity bitmaps (Arrow order: bit i of byte i>>3, LSB first; set = valid). An absent bitmap
 * means "no nulls", which is the common case and costs nothing.
 */
import type { Validity } from "./column.js";

export function isValid(validity: Validity, i: number): boolean {
  return validity === undefined || (validity[i >>> 3]! & (1 << (i & 7))) !== 0;
}

export function setValid(bitmap: Uint8Array, i: number, valid: boolean): void {
  if (valid) bitmap[i >>> 3]! |= 1 << (i & 7);
  else bitmap[i >>> 3]! &= ~(1 << (i & 7));
}

/** A bitmap for `length` rows, all valid (fill = true) or all null. */
export function allocValidity(length: number, fill: boolean): Uint8Array {
  return new Uint8Array((length + 7) >>> 3).fill(fill ? 0xff : 0);
}

export function nullCount(validity: Validity, length: number): number {
  if (validity === undefined) return 0;
  let valid = 0;
  for (let i = 0; i < length; i++) if ((validity[i >>> 3]! & (1 << (i & 7))) !== 0) valid++;
  return length - valid;
}

/** Drops a bitmap that has no nulls, so consumers take the no-null fast path. */
export function compactValidity(validity: Validity, length: number): Validity {
  return validity !== undefined && nullCount(validity, length) === 0 ? undefined : validity;
}

/** Bits [start, end) of a bitmap as a new bitmap starting at bit 0. */
export function sliceValidity(validity: Validity, start: number, end: number): Validity {
  if (validity === undefined) return undefined;
  const out = new Uint8Array((end - start + 7) >>> 3);
  if ((start & 7) === 0) {
    out.set(validity.subarray(start >>> 3, (end + 7) >>> 3).subarray(0, out.length));
  } else {
    for (let i = start; i < end; i++) if ((validity[i >>> 3]! & (1 << (i & 7))) !== 0) out[(i - start) >>> 3]! |= 1 << ((i - start) & 7);
  }
  return out;
}
