/**
 * db-benchmark's data generators (groupby-datagen.R and join-datagen.R) in TypeScript: same
 * columns, cardinalities, value ranges, rounding, NA injection and file names; seed 108.
 */
import { Random, roundedUniform } from "./random.js";
import { CHUNK_ROWS, type GeneratedColumn, type GeneratedTable, inMemoryTable } from "./table-files.js";

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

/** How one generated column draws its values; each draws one nextFloat() per row. */
type ColumnRecipe =
  | { readonly name: string; readonly kind: "int32"; readonly max: number }
  | { readonly name: string; readonly kind: "idstring"; readonly max: number; readonly pad: number }
  | { readonly name: string; readonly kind: "float64"; readonly digits: number };

function drawChunk(recipe: ColumnRecipe, rng: Random, rows: number): GeneratedColumn {
  if (recipe.kind === "float64") return { name: recipe.name, kind: "float64", values: roundedUniform(rng, rows, recipe.digits), digits: recipe.digits };
  const values = sampleInts(rng, rows, recipe.max);
  return recipe.kind === "int32" ? { name: recipe.name, kind: "int32", values } : { name: recipe.name, kind: "idstring", values, pad: recipe.pad };
}

/**
 * A table whose columns draw from one generator one after another (all of column 1, then all of
 * column 2, ...), as the R scripts do, produced a chunk of rows at a time: each column gets its own
 * cursor, placed where the previous column's draws end, so the values are exactly those of drawing
 * whole columns in order, but only one chunk is ever in memory.
 */
function columnwiseTable(name: string, length: number, rng: Random, recipes: readonly ColumnRecipe[]): GeneratedTable {
  const cursors = recipes.map((_, c) => {
    const cursor = rng.clone();
    if (c < recipes.length - 1) rng.skipFloats(length);
    return cursor;
  });
  rng.skipFloats(length); // the caller's generator continues after the last column
  let used = false;
  return {
    name,
    length,
    columnNames: recipes.map((r) => r.name),
    *chunks() {
      if (used) throw new Error(`${name}: a generated table's chunks can be read once`);
      used = true;
      for (let start = 0; start < length; start += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, length - start);
        yield recipes.map((recipe, c) => drawChunk(recipe, cursors[c]!, rows));
      }
    },
  };
}

/** groupby-datagen.R: N rows, K groups; nas = percent of each column set to NA (not supported > 0 here). */
export function generateGroupby(n: number, k: number, nas = 0): GeneratedTable {
  if (nas !== 0) throw new Error("NA injection is not implemented by this generator yet; use nas = 0");
  return columnwiseTable(groupbyName(n, k), n, new Random(108), [
    { name: "id1", kind: "idstring", max: k, pad: 3 },
    { name: "id2", kind: "idstring", max: k, pad: 3 },
    { name: "id3", kind: "idstring", max: n / k, pad: 10 },
    { name: "id4", kind: "int32", max: k },
    { name: "id5", kind: "int32", max: k },
    { name: "id6", kind: "int32", max: n / k },
    { name: "v1", kind: "int32", max: 5 },
    { name: "v2", kind: "int32", max: 5 },
    { name: "v3", kind: "float64", digits: 4 },
  ]);
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

/**
 * A join table: id columns whole in memory (they come from shuffles), the trailing measure column
 * drawn chunk by chunk from its own cursor (the shared generator skips past its draws).
 */
function joinTable(name: string, rng: Random, ids: readonly GeneratedColumn[], measure: string): GeneratedTable {
  const length = ids[0]!.values.length;
  const cursor = rng.clone();
  rng.skipFloats(length);
  const idChunks = inMemoryTable(name, ids);
  return {
    name,
    length,
    columnNames: [...idChunks.columnNames, measure],
    *chunks() {
      for (const chunk of idChunks.chunks()) {
        yield [...chunk, { name: measure, kind: "float64", values: roundedUniform(cursor, chunk[0]!.values.length, 6), digits: 6 }];
      }
    },
  };
}

/**
 * join-datagen.R: the LHS table x, then the small / medium / big RHS tables, one at a time: the
 * next table is only generated once the caller has written the previous one, so at 1e8 rows the
 * big table's columns never sit in memory beside x's.
 */
export function* generateJoin(n: number): Generator<GeneratedTable, void, void> {
  if (n < 1e6) throw new Error("join data needs at least 1e6 rows (the small table has N/1e6 rows)");
  const rng = new Random(108);
  const names = joinNames(n);
  const key1 = splitXlr(rng, n / 1e6);
  const key2 = splitXlr(rng, n / 1e3);
  let key3: ReturnType<typeof splitXlr> | undefined = splitXlr(rng, n);

  const id = (name: string, values: Int32Array): GeneratedColumn => ({ name, kind: "int32", values });
  const str = (name: string, values: Int32Array): GeneratedColumn => ({ name, kind: "idstring", values, pad: 0 });

  {
    const lhs1 = sampleAll(rng, concat(key1.x, key1.l), n);
    const lhs2 = sampleAll(rng, concat(key2.x, key2.l), n);
    const lhs3 = sampleAll(rng, concat(key3.x, key3.l), n);
    yield joinTable(names.x, rng, [id("id1", lhs1), id("id2", lhs2), id("id3", lhs3), str("id4", lhs1), str("id5", lhs2), str("id6", lhs3)], "v1");
  }

  const ns = n / 1e6;
  const s1 = sampleAll(rng, concat(key1.x, key1.r), ns);
  yield joinTable(names.small, rng, [id("id1", s1), str("id4", s1)], "v2");

  const nm = n / 1e3;
  const m1 = sampleAll(rng, concat(key1.x, key1.r), nm);
  const m2 = sampleAll(rng, concat(key2.x, key2.r), nm);
  yield joinTable(names.medium, rng, [id("id1", m1), id("id2", m2), str("id4", m1), str("id5", m2)], "v2");

  const b1 = sampleAll(rng, concat(key1.x, key1.r), n);
  const b2 = sampleAll(rng, concat(key2.x, key2.r), n);
  const b3 = sampleAll(rng, concat(key3.x, key3.r), n);
  key3 = undefined;
  yield joinTable(names.big, rng, [id("id1", b1), id("id2", b2), id("id3", b3), str("id4", b1), str("id5", b2), str("id6", b3)], "v2");
}
