/**
 * Calendar arithmetic without Date objects: dates are days since 1970-01-01, timestamps are
 * microseconds since the epoch in UTC. Civil-from-days uses the proleptic Gregorian calendar
 * (the era algorithm), so it is exact for any year and fast in a loop.
 */
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_DAY = 86_400_000_000;

/** Days since 1970-01-01 of a proleptic Gregorian (year, month 1-12, day 1-31). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Writes [year, month, day] of `days` into `out` (reused to avoid allocation in loops). */
export function civilFromDays(days: number, out: Int32Array | number[]): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days of a valid civil date, or null (month 13, February 30, ...). */
export function validDays(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return daysFromCivil(y, m, d);
}

const DAY_BIG = 86_400_000_000n;

/**
 * Writes [days since epoch, microseconds into the day] of a timestamp. Exact for any int64:
 * beyond 2^53 micros (after year 2255) a double cannot hold the value, so it splits in BigInt.
 */
export function splitMicros(v: bigint | number, out: number[] | Float64Array): void {
  const n = Number(v);
  if (Number.isSafeInteger(n)) {
    const d = Math.floor(n / MICROS_PER_DAY);
    out[0] = d;
    out[1] = n - d * MICROS_PER_DAY;
    return;
  }
  const b = BigInt(v);
  let d = b / DAY_BIG;
  let r = b % DAY_BIG;
  if (r < 0n) { d -= 1n; r += DAY_BIG; }
  out[0] = Number(d);
  out[1] = Number(r);
}

/** days * 86400e6 + microsOfDay as an exact int64. */
export function joinMicros(days: number, microsOfDay: number): bigint {
  const n = days * MICROS_PER_DAY + microsOfDay;
  return Number.isSafeInteger(n) ? BigInt(n) : BigInt(days) * DAY_BIG + BigInt(microsOfDay);
}

/** The day (days since epoch) of a timestamp in micros. */
export function dayOfMicros(micros: number): number {
  return Math.floor(micros / MICROS_PER_DAY);
}

const DATE_RE = /^\s*([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T].*)?)?)?\s*$/s;

/** Spark's cast(string as date): `yyyy`, `yyyy-m`, `yyyy-mm-dd`, optionally followed by a time part. */
export function parseDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  return validDays(Number(m[1]), m[2] ? Number(m[2]) : 1, m[3] ? Number(m[3]) : 1);
}

const TS_RE = /^\s*([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/;

/** Spark's cast(string as timestamp) in UTC: date, optional time with fraction, optional zone offset. */
export function parseTimestamp(s: string): number | null {
  const m = TS_RE.exec(s);
  if (!m) return null;
  const days = validDays(Number(m[1]), m[2] ? Number(m[2]) : 1, m[3] ? Number(m[3]) : 1);
  if (days === null) return null;
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const sec = m[6] ? Number(m[6]) : 0;
  if (h > 23 || mi > 59 || sec > 59) return null;
  const frac = m[7] ? Number(m[7].slice(0, 6).padEnd(6, "0")) : 0;
  return days * MICROS_PER_DAY + ((h * 60 + mi) * 60 + sec) * MICROS_PER_SECOND + frac - zoneOffsetMicros(m[8]);
}

/** Offset east of UTC of `Z`, `UTC`, `+hh`, `+hh:mm`, `+hhmm`, in microseconds. */
export function zoneOffsetMicros(zone: string | undefined): number {
  if (!zone || zone === "Z" || zone === "UTC") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
  return sign * minutes * 60 * MICROS_PER_SECOND;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, "0");
  return n < 0 ? `-${s}` : s;
}

export function formatDate(days: number): string {
  const c = [0, 0, 0];
  civilFromDays(days, c);
  return `${pad(c[0]!, 4)}-${pad(c[1]!, 2)}-${pad(c[2]!, 2)}`;
}

/** Spark's cast(timestamp as string): `yyyy-MM-dd HH:mm:ss[.ffffff]` with trailing zeros dropped. */
export function formatTimestamp(micros: bigint | number): string {
  const parts = [0, 0];
  splitMicros(micros, parts);
  const rest = parts[1]!;
  const frac = rest % MICROS_PER_SECOND;
  const secs = (rest - frac) / MICROS_PER_SECOND;
  const sec = secs % 60;
  const min = Math.floor(secs / 60) % 60;
  const hour = Math.floor(secs / 3600);
  const base = `${formatDate(parts[0]!)} ${pad(hour, 2)}:${pad(min, 2)}:${pad(sec, 2)}`;
  return frac === 0 ? base : `${base}.${pad(frac, 6).replace(/0+$/, "")}`;
}

/** Day of week, Spark's convention: 1 = Sunday ... 7 = Saturday. 1970-01-01 was a Thursday (5). */
export function dayOfWeek(days: number): number {
  return (((days + 4) % 7) + 7) % 7 + 1;
}
