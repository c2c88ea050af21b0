/**
 * Number <-> text the way Spark's non-ANSI casts do it: Java's Double.toString shape ("1.0",
 * "1.0E7"), decimals with exactly `scale` digits, and strict parsing (bad text gives null, not 0).
 */

/** Java's Double.toString: always a fraction digit; scientific outside [1e-3, 1e7). */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e7) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [m, e] = x.toExponential().split("e") as [string, string];
  return `${m.includes(".") ? m : `${m}.0`}E${Number(e)}`;
}

/** An unscaled decimal as text with exactly `scale` fraction digits: (12345n, 2) -> "123.45". */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  if (scale === 0) return neg ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, "0");
  const s = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  return neg ? `-${s}` : s;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Strict float parse of trimmed text; null when it is not a number (Spark: "abc", "" -> null). */
export function parseDouble(s: string): number | null {
  const t = s.trim();
  if (NUMBER_RE.test(t)) return Number(t);
  const lower = t.toLowerCase().replace(/^\+/, "");
  if (lower === "nan") return NaN;
  if (lower === "infinity" || lower === "inf") return Infinity;
  if (lower === "-infinity" || lower === "-inf") return -Infinity;
  return null;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Integer parse of trimmed text, truncating a fraction ("1.9" -> 1, as Spark's non-ANSI cast does);
 * null when it is not a number or does not fit in [min, max].
 */
export function parseInteger(s: string, min: bigint = INT64_MIN, max: bigint = INT64_MAX): bigint | null {
  const t = s.trim();
  const m = /^([+-]?)(\d+)(?:\.\d*)?$/.exec(t) ?? /^([+-]?)()\.\d+$/.exec(t);
  if (!m) return null;
  const v = BigInt(`${m[1]}${m[2] || "0"}`);
  return v < min || v > max ? null : v;
}

/** Text to an unscaled decimal of `scale` (HALF_UP), null when invalid or wider than `precision`. */
export function parseDecimal(s: string, precision: number, scale: number): bigint | null {
  const t = s.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  let intDigits = m[2] ?? "";
  let frac = m[3] ?? "";
  const exp = m[4] ? Number(m[4]) : 0;
  if (exp > 0) { const take = frac.slice(0, exp).padEnd(exp, "0"); intDigits += take; frac = frac.slice(exp); }
  else if (exp < 0) { const k = -exp; const pad = intDigits.padStart(k, "0"); frac = pad.slice(pad.length - k) + frac; intDigits = pad.slice(0, pad.length - k); }
  const kept = frac.slice(0, scale).padEnd(scale, "0");
  let v = BigInt(`${intDigits || "0"}${kept}`);
  if ((frac[scale] ?? "0") >= "5") v += 1n;
  if (v >= 10n ** BigInt(precision)) return null;
  return m[1] === "-" ? -v : v;
}

export function fitsDecimal(v: bigint, precision: number): boolean {
  const limit = 10n ** BigInt(precision);
  return v < limit && v > -limit;
}

/** HALF_UP division of bigints (round half away from zero). */
export function divHalfUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  const bAbs = b < 0n ? -b : b;
  if (twice >= bAbs) return (a < 0n) !== (b < 0n) ? q - 1n : q + 1n;
  return q;
}
