/**
 * SampleExec: Bernoulli sampling (or Poisson counts with replacement), deterministic for a given
 * seed and partition so reruns and retries pick the same rows.
 */
import type { Batch } from "../../batch/column.js";
import { takeBatch } from "../../batch/ops/take.js";
import { hashInt32 } from "../../batch/ops/key-encoding.js";
import type { NodeOf, OperatorEnv } from "./env.js";

/** mulberry32: small, fast, good enough for sampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(lambda: number, rnd: () => number): number {
  const l = Math.exp(-lambda);
  let k = 0, p = 1;
  do { k++; p *= rnd(); } while (p > l);
  return k - 1;
}

export async function* sampleExec(node: NodeOf<"SampleExec">, env: OperatorEnv): AsyncIterable<Batch> {
  const rnd = seededRandom(hashInt32((node.seed | 0) ^ Math.imul(env.ctx.partition + 1, 0x9e3779b1)));
  for await (const batch of env.input(node.input)) {
    let idx = new Int32Array(Math.max(16, batch.length));
    let n = 0;
    for (let i = 0; i < batch.length; i++) {
      const copies = node.withReplacement ? poisson(node.fraction, rnd) : rnd() < node.fraction ? 1 : 0;
      for (let c = 0; c < copies; c++) {
        if (n === idx.length) { const g = new Int32Array(idx.length * 2); g.set(idx); idx = g; }
        idx[n++] = i;
      }
    }
    if (n > 0) yield takeBatch(batch, idx, n, node.schema);
  }
}
