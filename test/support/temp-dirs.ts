/**
 * Temporary directories for a test file, removed after its tests. vitest gives each test file its
 * own instance of this module, so the afterAll below belongs to the file that imports it; a
 * directory may be made anywhere in that file (a hook, a test).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new directory `<os tmpdir>/<prefix>XXXXXX`, gone when the test file's tests are over. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
