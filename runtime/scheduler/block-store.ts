/**
 * The engine's block store on the driver: registered tables and materialized caches, as
 * partitions of SharedArrayBuffer batches that any number of tasks read without copying.
 */
import type { Batch } from "../batch/column.js";
import { batchBytes } from "../batch/buffers.js";
import type { Schema } from "../expr/types.js";
import type { DataPartitioning, SourceRef } from "../logical/plan.js";

export interface StoredTable {
  readonly schema: Schema;
  readonly partitions: readonly (readonly Batch[])[];
  readonly source: SourceRef & { kind: "memory" };
}

export class BlockStore {
  private readonly tables = new Map<string, StoredTable>();
  private readonly caches = new Map<string, StoredTable>();
  private nextId = 1;

  addTable(partitions: readonly (readonly Batch[])[], schema: Schema, partitioning?: DataPartitioning, id = `mem-${this.nextId++}`): StoredTable {
    let rows = 0;
    let bytes = 0;
    for (const p of partitions)
      for (const b of p) {
        rows += b.length;
        bytes += batchBytes(b);
      }
    const source: SourceRef & { kind: "memory" } = { kind: "memory", id, partitions: partitions.length, rows, bytes, ...(partitioning ? { partitioning } : {}) };
    const table = { schema, partitions, source };
    this.tables.set(id, table);
    return table;
  }

  table(id: string): StoredTable | undefined {
    return this.tables.get(id);
  }

  dropTable(id: string): void {
    this.tables.delete(id);
  }

  /** Stores a cache; it is also readable as the memory table `cache:<cacheId>`. */
  putCache(cacheId: string, partitions: readonly (readonly Batch[])[], schema: Schema, partitioning?: DataPartitioning): StoredTable {
    const table = this.addTable(partitions, schema, partitioning, `cache:${cacheId}`);
    this.caches.set(cacheId, table);
    return table;
  }

  cache(cacheId: string): StoredTable | undefined {
    return this.caches.get(cacheId);
  }

  dropCache(cacheId: string): void {
    this.caches.delete(cacheId);
    this.tables.delete(`cache:${cacheId}`);
  }

  clear(): void {
    this.tables.clear();
    this.caches.clear();
  }
}
