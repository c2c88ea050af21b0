/**
 * Errors the executor raises. Each names where it happened (stage, partition, limit) and what to
 * do about it. They cross threads as {name, message} (structured clone drops classes), so code
 * that tests for them compares `name`.
 */

/** The job was cancelled (kernel interrupt, AbortSignal). */
export class Interrupted extends Error {
  override readonly name = "Interrupted";
  constructor(message = "Interrupted: the job was cancelled before it finished; no output was committed.") {
    super(message);
  }
}

/** A task needed more memory than the per-worker budget and spilling is off (or the heap ran out). */
export class ResourcesExhausted extends Error {
  override readonly name = "ResourcesExhausted";
}

/** A shuffle block failed its checksum or was missing: the producer map task must run again. */
export class ShuffleFetchFailed extends Error {
  override readonly name = "ShuffleFetchFailed";
  constructor(
    readonly exchangeNodeId: number,
    readonly mapPartition: number,
    reason: string,
  ) {
    super(`ShuffleFetchFailed: exchange ${exchangeNodeId}, map partition ${mapPartition}: ${reason}`);
  }
}

/** The job failed: wraps the first task error with its place (job, stage, partition, attempt). */
export class JobFailed extends Error {
  override readonly name: string;
  constructor(
    message: string,
    readonly causeName: string,
    readonly stageId: number | undefined,
    readonly partition: number | undefined,
  ) {
    super(message);
    // Keep the cause's name (UserError, ResourcesExhausted, Interrupted...) so callers can branch on it.
    this.name = causeName === "Error" ? "JobFailed" : causeName;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
