/**
 * The script filename of cell N ("cell[3]"): stack frames name it, and the stack mapper and the
 * kernel's main thread both need it. Its own module so the main thread can use it without loading
 * TypeScript.
 */
export function cellFilename(n: number): string {
  return `cell[${n}]`;
}
