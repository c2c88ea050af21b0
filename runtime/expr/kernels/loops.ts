/**
 * Generated loops: one small function per (operation, operand type, column-or-scalar shape), built
 * with `new Function` so each is monomorphic and V8 optimizes it into a tight typed-array loop.
 * Bodies use A and B for the operands (replaced by `a[i]` or the scalar `a`), `out` for the result
 * array, and NULL for "make row i null" (clears bit i of the result validity `v`).
 */

/** (a, b, out, v, n, h): a/b are typed arrays or scalars, v the result validity, h helper functions. */
export type BinaryLoop = (a: unknown, b: unknown, out: unknown, v: Uint8Array | undefined, n: number, h: unknown) => void;

const cache = new Map<string, BinaryLoop>();

/**
 * `typeTag` (the operand type) keeps loops over different typed arrays apart, so each generated
 * function only ever sees one array type and stays monomorphic.
 */
export function binaryLoop(body: string, aScalar: boolean, bScalar: boolean, typeTag = ""): BinaryLoop {
  const key = `${typeTag}:${aScalar ? "s" : "c"}${bScalar ? "s" : "c"}:${body}`;
  let fn = cache.get(key);
  if (!fn) {
    const code = body
      .replace(/\bA\b/g, aScalar ? "a" : "a[i]")
      .replace(/\bB\b/g, bScalar ? "b" : "b[i]")
      .replace(/\bNULL\b/g, "v[i >> 3] &= ~(1 << (i & 7))");
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from fixed templates in this folder, never user text
    fn = new Function("a", "b", "out", "v", "n", "h", `"use strict"; for (let i = 0; i < n; i++) { ${code} }`) as BinaryLoop;
    cache.set(key, fn);
  }
  return fn;
}
