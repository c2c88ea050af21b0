/**
 * Spark/Java datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `dd/MM/yyyy`, `MMM d, yyyy`, quoted
 * literals) compiled once into a parser (regex + field slots) and a formatter. UTC only.
 */
import { UserError } from "./errors.js";
import { civilFromDays, dayOfWeek, MICROS_PER_DAY, MICROS_PER_SECOND, splitMicros, validDays, zoneOffsetMicros } from "./datetime.js";

type Field = "year" | "year2" | "month" | "monthName" | "day" | "hour" | "hour12" | "minute" | "second" | "fraction" | "ampm" | "weekday" | "zone";

interface Token { readonly literal?: string; readonly field?: Field; readonly width: number }

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === i + 1) { tokens.push({ literal: "'", width: 1 }); i += 2; continue; }
      const end = close < 0 ? pattern.length : close;
      tokens.push({ literal: pattern.slice(i + 1, end), width: end - i - 1 });
      i = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) { tokens.push({ literal: c, width: 1 }); i++; continue; }
    let j = i;
    while (j < pattern.length && pattern[j] === c) j++;
    const width = j - i;
    const field = fieldOf(c, width, pattern);
    tokens.push({ field, width });
    i = j;
  }
  return tokens;
}

function fieldOf(c: string, width: number, pattern: string): Field {
  switch (c) {
    case "y": case "u": return width === 2 ? "year2" : "year";
    case "M": case "L": return width >= 3 ? "monthName" : "month";
    case "d": return "day";
    case "H": return "hour";
    case "h": return "hour12";
    case "m": return "minute";
    case "s": return "second";
    case "S": return "fraction";
    case "a": return "ampm";
    case "E": return "weekday";
    case "X": case "x": case "Z": case "z": case "V": return "zone";
    default:
      throw new UserError(`unsupported letter '${c}' in datetime pattern ${JSON.stringify(pattern)}; supported: y M d H h m s S a E Z X and 'quoted text'`);
  }
}

function fieldRegex(t: Token): string {
  switch (t.field!) {
    case "year": return t.width === 4 ? "([+-]?\\d{4})" : "([+-]?\\d{1,6})";
    case "year2": return "(\\d{2})";
    case "monthName": return t.width === 3 ? "([A-Za-z]{3})" : "([A-Za-z]+)";
    case "weekday": return "([A-Za-z]+)";
    case "ampm": return "([AaPp][Mm])";
    case "fraction": return `(\\d{1,${Math.max(t.width, 9)}})`;
    case "zone": return "(Z|UTC|[+-]\\d{2}(?::?\\d{2})?)";
    default: return t.width >= 2 ? `(\\d{${t.width}})` : "(\\d{1,2})";
  }
}

export interface DatetimePattern {
  /** Microseconds since epoch (UTC), or null when `s` does not match or is not a real date. */
  parse(s: string): number | null;
  format(micros: bigint | number): string;
}

const cache = new Map<string, DatetimePattern>();

export function compilePattern(pattern: string): DatetimePattern {
  let p = cache.get(pattern);
  if (!p) {
    p = build(pattern);
    if (cache.size > 128) cache.clear();
    cache.set(pattern, p);
  }
  return p;
}

function build(pattern: string): DatetimePattern {
  const tokens = tokenize(pattern);
  const fields: Field[] = [];
  let source = "^\\s*";
  for (const t of tokens) {
    if (t.literal !== undefined) source += t.literal.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    else { source += fieldRegex(t); fields.push(t.field!); }
  }
  const re = new RegExp(source + "\\s*$");
  return {
    parse(s) {
      const m = re.exec(s);
      if (!m) return null;
      let y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, frac = 0, pm = -1, zone = 0;
      for (let k = 0; k < fields.length; k++) {
        const v = m[k + 1]!;
        switch (fields[k]!) {
          case "year": y = Number(v); break;
          case "year2": y = 2000 + Number(v); break;
          case "month": mo = Number(v); break;
          case "monthName": {
            const idx = MONTHS.findIndex((name) => name.toLowerCase() === v.toLowerCase() || name.slice(0, 3).toLowerCase() === v.toLowerCase());
            if (idx < 0) return null;
            mo = idx + 1;
            break;
          }
          case "day": d = Number(v); break;
          case "hour": h = Number(v); break;
          case "hour12": h = Number(v) % 12; break;
          case "minute": mi = Number(v); break;
          case "second": sec = Number(v); break;
          case "fraction": frac = Number(v.slice(0, 6).padEnd(6, "0")); break;
          case "ampm": pm = v.toLowerCase() === "pm" ? 1 : 0; break;
          case "zone": zone = zoneOffsetMicros(v); break;
          case "weekday": break;
        }
      }
      if (pm === 1) h += 12;
      if (h > 23 || mi > 59 || sec > 59) return null;
      const days = validDays(y, mo, d);
      if (days === null) return null;
      return days * MICROS_PER_DAY + ((h * 60 + mi) * 60 + sec) * MICROS_PER_SECOND + frac - zone;
    },
    format(micros) {
      const parts = [0, 0];
      splitMicros(micros, parts);
      const days = parts[0]!;
      const c = [0, 0, 0];
      civilFromDays(days, c);
      const inDay = parts[1]!;
      const frac = inDay % MICROS_PER_SECOND;
      const secs = (inDay - frac) / MICROS_PER_SECOND;
      const h = Math.floor(secs / 3600);
      let out = "";
      for (const t of tokens) {
        if (t.literal !== undefined) { out += t.literal; continue; }
        const w = t.width;
        switch (t.field!) {
          case "year": out += String(c[0]).padStart(w, "0"); break;
          case "year2": out += String(c[0]! % 100).padStart(2, "0"); break;
          case "month": out += String(c[1]).padStart(w, "0"); break;
          case "monthName": out += w === 3 ? MONTHS[c[1]! - 1]!.slice(0, 3) : MONTHS[c[1]! - 1]!; break;
          case "day": out += String(c[2]).padStart(w, "0"); break;
          case "hour": out += String(h).padStart(w, "0"); break;
          case "hour12": out += String(h % 12 === 0 ? 12 : h % 12).padStart(w, "0"); break;
          case "minute": out += String(Math.floor(secs / 60) % 60).padStart(w, "0"); break;
          case "second": out += String(secs % 60).padStart(w, "0"); break;
          case "fraction": out += String(frac).padStart(6, "0").slice(0, w).padEnd(w, "0"); break;
          case "ampm": out += h < 12 ? "AM" : "PM"; break;
          case "weekday": { const n = WEEKDAYS[dayOfWeek(days) - 1]!; out += w >= 4 ? n : n.slice(0, 3); break; }
          case "zone": out += w >= 3 || t.width === 1 ? "Z" : "+0000"; break;
        }
      }
      return out;
    },
  };
}
