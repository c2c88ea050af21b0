/**
 * Arrow IPC reader (files and streams, `.arrow` / `.feather` v2 / `.arrows`), record batch by
 * record batch through a file handle: apache-arrow reads the footer, then each batch at its offset,
 * so memory holds one record batch at a time (readFileSync stops at 2 GiB, and a stream reader
 * given the whole byte stream would buffer the file first). Each record batch comes out as a batch
 * of views into that record batch; the engine's loadTable copies it into shared memory and lets it
 * go, so reading a file never holds the table twice (session.read.arrow).
 */
import { open, type FileHandle } from "node:fs/promises";
import * as arrow from "apache-arrow";
import { recordBatchToBatch, schemaFromArrow } from "../batch/arrow.js";
import type { Batch } from "../batch/column.js";
import type { Schema } from "../expr/types.js";

export interface ArrowIpcSource {
  readonly path: string;
  readonly schema: Schema;
  /** The record batches in file order; read once (the file closes at the end or on error). */
  readonly batches: AsyncIterable<Batch>;
}

/** Opens an Arrow IPC file and reads its schema; errors name the file and say what to check. */
export async function openArrowIpc(path: string, caller = "session.read.arrow"): Promise<ArrowIpcSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(`${caller}("${path}"): cannot open the file (${code}); check the path (relative paths start at ${process.cwd()}).`);
  }
  let reader: arrow.RecordBatchReader;
  let schema: Schema;
  try {
    reader = await arrow.RecordBatchReader.from(handle);
    await reader.open();
    schema = schemaFromArrow(reader.schema);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw new Error(`${caller}("${path}"): not a readable Arrow IPC file or stream (${(e as Error).message}). Write it with an Arrow library (tableToIPC, pyarrow's feather/ipc writers, Polars' write_ipc).`);
  }
  async function* batches(): AsyncGenerator<Batch> {
    try {
      for await (const rb of reader) yield recordBatchToBatch(rb, schema);
    } catch (e) {
      throw new Error(`${caller}("${path}"): reading a record batch failed (${(e as Error).message}); the file may be truncated or still being written.`);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  return { path, schema, batches: batches() };
}
