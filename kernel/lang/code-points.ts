/**
 * Jupyter (protocol 5.2+) counts cursor positions in Unicode code points; TypeScript and
 * JavaScript strings count UTF-16 units. An emoji is one code point but two units, so every
 * position crossing the protocol boundary goes through these two functions.
 */

/** UTF-16 offset of the code point index `codePoints` in `text` (clamped to the text). */
export function codePointsToUtf16(text: string, codePoints: number): number {
  let units = 0;
  let seen = 0;
  while (seen < codePoints && units < text.length) {
    const unit = text.charCodeAt(units);
    units += unit >= 0xd800 && unit <= 0xdbff && units + 1 < text.length ? 2 : 1;
    seen++;
  }
  return units;
}

/** Number of code points in the first `units` UTF-16 units of `text`. */
export function utf16ToCodePoints(text: string, units: number): number {
  let codePoints = 0;
  const end = Math.min(units, text.length);
  for (let i = 0; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) i++;
    codePoints++;
  }
  return codePoints;
}
