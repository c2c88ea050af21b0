/**
 * Turns row-encoded keys (key-encoding.ts) back into columns: the distinct keys of a group-by
 * or the values of a distinct set. Walks each key once with a cursor per row.
 */
import type { Column } from "../column.js";
import type { DataType } from "../../expr/types.js";
import { bitmapBytes } from "./validity.js";

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

export function decodeKeys(arena: Uint8Array, offsets: Int32Array, n: number, types: readonly DataType[]): Column[] {
  const pos = offsets.slice(0, n);
  return types.map((type) => decodeColumn(arena, pos, n, type));
}

function decodeColumn(arena: Uint8Array, pos: Int32Array, n: number, type: DataType): Column {
  const validity = new Uint8Array(bitmapBytes(n));
  let nulls = 0;
  const valid = (i: number): boolean => {
    const p = pos[i]!;
    pos[i] = p + 1;
    if (arena[p] === 0) { nulls++; return false; }
    validity[i >>> 3]! |= 1 << (i & 7);
    return true;
  };
  const finish = <T extends object>(c: T): Column => ({ ...c, validity: nulls > 0 ? validity : undefined }) as unknown as Column;
  switch (type.kind) {
    case "null":
      for (let i = 0; i < n; i++) pos[i]!++;
      return { type: type as never, length: n };
    case "bool": {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) if (valid(i)) values[i] = arena[pos[i]!++]!;
      return finish({ type, length: n, values });
    }
    case "int32": case "date": {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) continue;
        const p = pos[i]!;
        values[i] = arena[p]! | (arena[p + 1]! << 8) | (arena[p + 2]! << 16) | (arena[p + 3]! << 24);
        pos[i] = p + 4;
      }
      return finish({ type, length: n, values });
    }
    case "float64": {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) continue;
        const p = pos[i]!;
        for (let k = 0; k < 8; k++) f64Bytes[k] = arena[p + k]!;
        values[i] = f64[0]!;
        pos[i] = p + 8;
      }
      return finish({ type, length: n, values });
    }
    case "int64": case "timestamp": case "decimal": {
      const values = new BigInt64Array(n);
      const raw = new Uint8Array(values.buffer);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) continue;
        const p = pos[i]!;
        raw.set(arena.subarray(p, p + 8), i * 8);
        pos[i] = p + 8;
      }
      return finish({ type, length: n, values });
    }
    case "string": {
      const offsets = new Int32Array(n + 1);
      const starts = new Int32Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        if (valid(i)) {
          const p = pos[i]!;
          const len = arena[p]! | (arena[p + 1]! << 8) | (arena[p + 2]! << 16) | (arena[p + 3]! << 24);
          starts[i] = p + 4;
          pos[i] = p + 4 + len;
          total += len;
        }
        offsets[i + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const len = offsets[i + 1]! - offsets[i]!;
        if (len > 0) bytes.set(arena.subarray(starts[i]!, starts[i]! + len), offsets[i]!);
      }
      return finish({ type, length: n, encoding: "utf8", offsets, bytes });
    }
    case "list":
      throw new Error("a list column cannot be a key");
  }
}
