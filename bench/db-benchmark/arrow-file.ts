/**
 * Reads an Arrow IPC file record batch by record batch through a file handle. readFileSync cannot
 * read files over 2 GiB (the 1e8-row tables are 5-6 GB), and a stream reader given a byte stream
 * would buffer the whole file first; a file handle lets apache-arrow read the footer, then each
 * batch at its offset, so memory holds the batches and nothing else.
 */
import { open } from "node:fs/promises";
import * as arrow from "apache-arrow";

export async function readArrowFile(path: string): Promise<arrow.Table> {
  const handle = await open(path, "r");
  try {
    const reader = await arrow.RecordBatchReader.from(handle);
    const batches: arrow.RecordBatch[] = [];
    for await (const batch of reader) batches.push(batch);
    if (batches.length === 0) return new arrow.Table(reader.schema);
    return new arrow.Table(batches);
  } finally {
    await handle.close();
  }
}
