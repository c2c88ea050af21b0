/**
 * Peak resident memory of this process (all threads, native engines included), per question:
 * Linux keeps a high-water mark (VmHWM) that writing "5" to /proc/self/clear_refs resets.
 */
import { readFileSync, writeFileSync } from "node:fs";

export function resetPeakRss(): void {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // Not Linux, or not permitted: the peak then covers the whole process lifetime.
  }
}

/** Peak RSS in MB since the last reset (falls back to the current RSS). */
export function peakRssMb(): number {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // fall through
  }
  return process.memoryUsage().rss / 1024 / 1024;
}
