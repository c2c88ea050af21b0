/**
 * db-benchmark's data generators (groupby-datagen.R and join-datagen.R) in TypeScript: same
 * columns, cardinalities, value ranges, rounding, NA injection and file names; seed 108.
 */
import { Random, roundedUniform } from "./random.js";
import type { GeneratedColumn, GeneratedTable } from "./table-files.js";

/** 1e7 -> "1e7", 1e2 -> "1e2", as the R scripts' pretty_sci. */
export function prettySci(x: number): string {
  const exponent = Math.round(Math.log10(x));
  if (10 ** exponent === x) return `1e${exponent}`;
  return x.toExponential().replace("+", "");
}

export function groupbyName(n: number, k: number, nas = 0, sort = 0): string {
  return `G1_${prettySci(n)}_${prettySci(k)}_${nas}_${sort}`;
}

export function joinNames(n: number, nas = 0, sort = 0): { x: string; small: string; medium: string; big: string } {
  const base = (y: string) => `J1_${prettySci(n)}_${y}_${nas}_${sort}`;
  return { x: base("NA"), small: base(prettySci(n / 1e6)), medium: base(prettySci(n / 1e3)), big: base(prettySci(n)) };
}

function sampleInts(rng: Random, n: number, max: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int1(max);
  return out;
}

/** groupby-datagen.R: N rows, K groups; nas = percent of each column set to NA (not supported > 0 here). */
export function generateGroupby(n: number, k: number, nas = 0): GeneratedTable {
  if (nas !== 0) throw new Error("NA injection is not implemented by this generator yet; use nas = 0");
  const rng = new Random(108);
  const columns: GeneratedColumn[] = [
    { name: "id1", kind: "idstring", values: sampleInts(rng, n, k), pad: 3 },
    { name: "id2", kind: "idstring", values: sampleInts(rng, n, k), pad: 3 },
    { name: "id3", kind: "idstring", values: sampleInts(rng, n, n / k), pad: 10 },
    { name: "id4", kind: "int32", values: sampleInts(rng, n, k) },
    { name: "id5", kind: "int32", values: sampleInts(rng, n, k) },
    { name: "id6", kind: "int32", values: sampleInts(rng, n, n / k) },
    { name: "v1", kind: "int32", values: sampleInts(rng, n, 5) },
    { name: "v2", kind: "int32", values: sampleInts(rng, n, 5) },
    { name: "v3", kind: "float64", values: roundedUniform(rng, n, 4) },
  ];
  return { name: groupbyName(n, k), columns, length: n };
}

/** split_xlr: a permutation of 1..n*1.1 cut into common (0.9n), left-only (0.1n), right-only (0.1n). */
function splitXlr(rng: Random, n: number): { x: Int32Array; l: Int32Array; r: Int32Array } {
  const total = Math.round(n * 1.1);
  const key = new Int32Array(total);
  for (let i = 0; i < total; i++) key[i] = i + 1;
  rng.shuffle(key);
  const nx = Math.round(n * 0.9);
  return { x: key.subarray(0, nx), l: key.subarray(nx, n), r: key.subarray(n, total) };
}

/** sample_all: every value of `pool` appears at least once, the rest drawn with replacement, shuffled. */
function sampleAll(rng: Random, pool: Int32Array, size: number): Int32Array {
  if (pool.length > size) throw new Error(`sample_all: pool of ${pool.length} does not fit in ${size}`);
  const out = new Int32Array(size);
  out.set(pool);
  for (let i = pool.length; i < size; i++) out[i] = pool[Math.floor(rng.nextFloat() * pool.length)]!;
  return rng.shuffle(out);
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** join-datagen.R: the LHS table x and the small / medium / big RHS tables. */
export function generateJoin(n: number): { x: GeneratedTable; small: GeneratedTable; medium: GeneratedTable; big: GeneratedTable } {
  if (n < 1e6) throw new Error("join data needs at least 1e6 rows (the small table has N/1e6 rows)");
  const rng = new Random(108);
  const names = joinNames(n);
  const key1 = splitXlr(rng, n / 1e6);
  const key2 = splitXlr(rng, n / 1e3);
  const key3 = splitXlr(rng, n);

  const id = (name: string, values: Int32Array): GeneratedColumn => ({ name, kind: "int32", values });
  const str = (name: string, values: Int32Array): GeneratedColumn => ({ name, kind: "idstring", values, pad: 0 });

  const lhs1 = sampleAll(rng, concat(key1.x, key1.l), n);
  const lhs2 = sampleAll(rng, concat(key2.x, key2.l), n);
  const lhs3 = sampleAll(rng, concat(key3.x, key3.l), n);
  const x: GeneratedTable = {
    name: names.x,
    length: n,
    columns: [id("id1", lhs1), id("id2", lhs2), id("id3", lhs3), str("id4", lhs1), str("id5", lhs2), str("id6", lhs3), { name: "v1", kind: "float64", values: roundedUniform(rng, n, 6) }],
  };

  const ns = n / 1e6;
  const s1 = sampleAll(rng, concat(key1.x, key1.r), ns);
  const small: GeneratedTable = {
    name: names.small,
    length: ns,
    columns: [id("id1", s1), str("id4", s1), { name: "v2", kind: "float64", values: roundedUniform(rng, ns, 6) }],
  };

  const nm = n / 1e3;
  const m1 = sampleAll(rng, concat(key1.x, key1.r), nm);
  const m2 = sampleAll(rng, concat(key2.x, key2.r), nm);
  const medium: GeneratedTable = {
    name: names.medium,
    length: nm,
    columns: [id("id1", m1), id("id2", m2), str("id4", m1), str("id5", m2), { name: "v2", kind: "float64", values: roundedUniform(rng, nm, 6) }],
  };

  const b1 = sampleAll(rng, concat(key1.x, key1.r), n);
  const b2 = sampleAll(rng, concat(key2.x, key2.r), n);
  const b3 = sampleAll(rng, concat(key3.x, key3.r), n);
  const big: GeneratedTable = {
    name: names.big,
    length: n,
    columns: [id("id1", b1), id("id2", b2), id("id3", b3), str("id4", b1), str("id5", b2), str("id6", b3), { name: "v2", kind: "float64", values: roundedUniform(rng, n, 6) }],
  };
  return { x, small, medium, big };
}
