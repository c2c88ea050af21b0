/**
 * SQL expression text to the Expr IR, for Spark habits: `df.filter("amount > 5 AND status = 'paid'")`,
 * `df.selectExpr("amount * 2 AS double")`, `F.expr("coalesce(a, 0)")`. A small precedence-climbing
 * parser: literals, identifiers (`a`, `o.id`, `` `odd name` ``), arithmetic, comparisons, AND/OR/NOT,
 * IS [NOT] NULL, [NOT] IN (...), [NOT] BETWEEN, [NOT] LIKE, CASE WHEN, CAST(x AS type), function calls
 * (scalar functions by registry name; count/sum/avg/min/max/first/last... as aggregates) and `*`.
 */
import type { AggFn, BinaryOp, Expr } from "./ir.js";
import { literalExpr } from "./literal.js";
import { parseType } from "./type-spec.js";

export class SqlParseError extends Error {
  override readonly name = "SqlParseError";
}

type Token = { kind: "num" | "str" | "id" | "qid" | "op"; text: string; pos: number };

const AGGS: Readonly<Record<string, AggFn>> = {
  count: "count", sum: "sum", avg: "avg", mean: "avg", min: "min", max: "max", first: "first", last: "last",
  stddev: "stddev", stddev_pop: "stddev_pop", variance: "variance", var_pop: "var_pop", corr: "corr", covar_pop: "covar_pop", covar_samp: "covar_samp", median: "median",
  collect_list: "collect_list", collect_set: "collect_set", approx_count_distinct: "approx_count_distinct",
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|'((?:[^']|'')*)'|"((?:[^"]|"")*)"|`([^`]*)`|([A-Za-z_][A-Za-z0-9_]*)|(<=>|<=|>=|<>|!=|==|[-+*/%(),.=<>]))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new SqlParseError(`Cannot read "${text.slice(pos).trim().slice(0, 20)}" at position ${pos} of: ${text}`);
    const at = m.index + m[0].length - m[0].trimStart().length;
    if (m[1] !== undefined) tokens.push({ kind: "num", text: m[1], pos: at });
    else if (m[2] !== undefined) tokens.push({ kind: "str", text: m[2].replace(/''/g, "'"), pos: at });
    else if (m[3] !== undefined) tokens.push({ kind: "str", text: m[3].replace(/""/g, '"'), pos: at });
    else if (m[4] !== undefined) tokens.push({ kind: "qid", text: m[4], pos: at });
    else if (m[5] !== undefined) tokens.push({ kind: "id", text: m[5], pos: at });
    else tokens.push({ kind: "op", text: m[6]!, pos: at });
    pos = re.lastIndex;
  }
  return tokens;
}

const COMPARISON: Readonly<Record<string, BinaryOp>> = { "=": "=", "==": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "<=>": "<=>" };

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly text: string) {}

  parseAll(): Expr {
    const e = this.expr();
    if (this.i < this.tokens.length) this.fail(`unexpected "${this.tokens[this.i]!.text}"`);
    return e;
  }

  private fail(why: string): never {
    const at = this.tokens[this.i]?.pos ?? this.text.length;
    throw new SqlParseError(`Cannot parse the expression: ${why} at position ${at} of: ${this.text}`);
  }
  private peek(): Token | undefined { return this.tokens[this.i]; }
  private isWord(word: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t?.kind === "id" && t.text.toLowerCase() === word;
  }
  private isOp(op: string): boolean { const t = this.peek(); return t?.kind === "op" && t.text === op; }
  private word(word: string): boolean { if (this.isWord(word)) { this.i++; return true; } return false; }
  private op(op: string): boolean { if (this.isOp(op)) { this.i++; return true; } return false; }
  private expect(op: string): void { if (!this.op(op)) this.fail(`expected "${op}"`); }
  private expectWord(word: string): void { if (!this.word(word)) this.fail(`expected ${word.toUpperCase()}`); }

  expr(): Expr { return this.or(); }
  private or(): Expr {
    let e = this.and();
    while (this.word("or")) e = { kind: "Binary", op: "or", left: e, right: this.and() };
    return e;
  }
  private and(): Expr {
    let e = this.not();
    while (this.word("and")) e = { kind: "Binary", op: "and", left: e, right: this.not() };
    return e;
  }
  private not(): Expr {
    if (this.word("not")) return { kind: "Unary", op: "not", expr: this.not() };
    return this.predicate();
  }
  private predicate(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t?.kind === "op" && COMPARISON[t.text]) {
      this.i++;
      return { kind: "Binary", op: COMPARISON[t.text]!, left, right: this.additive() };
    }
    if (this.word("is")) {
      const negated = this.word("not");
      this.expectWord("null");
      return { kind: "Unary", op: negated ? "isNotNull" : "isNull", expr: left };
    }
    const negated = this.isWord("not") && (this.isWord("in", 1) || this.isWord("between", 1) || this.isWord("like", 1)) ? (this.i++, true) : false;
    const wrap = (e: Expr): Expr => (negated ? { kind: "Unary", op: "not", expr: e } : e);
    if (this.word("in")) {
      this.expect("(");
      const list = [this.additive()];
      while (this.op(",")) list.push(this.additive());
      this.expect(")");
      return { kind: "In", expr: left, list, negated };
    }
    if (this.word("between")) {
      const lo = this.additive();
      this.expectWord("and");
      const hi = this.additive();
      return wrap({ kind: "Binary", op: "and", left: { kind: "Binary", op: ">=", left, right: lo }, right: { kind: "Binary", op: "<=", left, right: hi } });
    }
    if (this.word("like")) return wrap({ kind: "Call", fn: "like", args: [left, this.additive()] });
    if (this.word("rlike")) return wrap({ kind: "Call", fn: "rlike", args: [left, this.additive()] });
    return left;
  }
  private additive(): Expr {
    let e = this.multiplicative();
    for (;;) {
      if (this.op("+")) e = { kind: "Binary", op: "+", left: e, right: this.multiplicative() };
      else if (this.op("-")) e = { kind: "Binary", op: "-", left: e, right: this.multiplicative() };
      else return e;
    }
  }
  private multiplicative(): Expr {
    let e = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.kind === "op" && (t.text === "*" || t.text === "/" || t.text === "%")) {
        this.i++;
        e = { kind: "Binary", op: t.text as BinaryOp, left: e, right: this.unary() };
      } else return e;
    }
  }
  private unary(): Expr {
    if (this.op("-")) {
      const t = this.peek();
      if (t?.kind === "num") { this.i++; return numberLiteral(`-${t.text}`); }
      return { kind: "Unary", op: "negate", expr: this.unary() };
    }
    if (this.op("+")) return this.unary();
    return this.primary();
  }
  private primary(): Expr {
    const t = this.peek();
    if (!t) return this.fail("the expression ended early");
    this.i++;
    if (t.kind === "num") return numberLiteral(t.text);
    if (t.kind === "str") return literalExpr(t.text);
    if (t.kind === "op" && t.text === "(") { const e = this.expr(); this.expect(")"); return e; }
    if (t.kind === "op" && t.text === "*") return { kind: "Star" };
    if (t.kind === "qid") return this.qualified(t.text);
    if (t.kind !== "id") return this.fail(`unexpected "${t.text}"`);
    const word = t.text.toLowerCase();
    if (word === "null") return literalExpr(null);
    if (word === "true" || word === "false") return literalExpr(word === "true");
    if (word === "case") return this.caseExpr();
    if (word === "cast" && this.isOp("(")) {
      this.i++;
      const e = this.expr();
      this.expectWord("as");
      const typeStart = this.i;
      // The type runs to the closing parenthesis of CAST( (decimal(10,2) has its own).
      for (let depth = 0; this.i < this.tokens.length; this.i++) {
        if (this.isOp("(")) depth++;
        else if (this.isOp(")")) { if (depth === 0) break; depth--; }
      }
      const typeText = this.text.slice(this.tokens[typeStart]?.pos ?? 0, this.peek()?.pos ?? this.text.length).trim();
      this.expect(")");
      return { kind: "Cast", expr: e, to: parseType(typeText) };
    }
    if (this.isOp("(")) return this.call(word);
    return this.qualified(t.text);
  }
  private qualified(first: string): Expr {
    if (this.isOp(".")) {
      this.i++;
      const next = this.peek();
      if (next?.kind === "op" && next.text === "*") { this.i++; return { kind: "Star", qualifier: first }; }
      if (next?.kind !== "id" && next?.kind !== "qid") this.fail(`expected a column name after "${first}."`);
      this.i++;
      return { kind: "Column", name: next.text, qualifier: first };
    }
    return { kind: "Column", name: first };
  }
  private call(fn: string): Expr {
    this.expect("(");
    const distinct = this.word("distinct");
    const args: Expr[] = [];
    if (!this.isOp(")")) {
      args.push(this.expr());
      while (this.op(",")) args.push(this.expr());
    }
    this.expect(")");
    const agg = AGGS[fn];
    if (agg) {
      const plain = args.filter((a) => !(a.kind === "Star" || (a.kind === "Literal" && a.value === 1 && fn === "count")));
      if (fn === "count" && distinct) return { kind: "Agg", fn: "count_distinct", args: plain, distinct: true };
      return { kind: "Agg", fn: agg, args: plain, distinct };
    }
    if (distinct) this.fail(`DISTINCT only applies to aggregates, not ${fn}()`);
    return { kind: "Call", fn, args };
  }
  private caseExpr(): Expr {
    const subject = this.isWord("when") ? undefined : this.expr();
    const branches: { when: Expr; then: Expr }[] = [];
    while (this.word("when")) {
      const cond = this.expr();
      this.expectWord("then");
      branches.push({ when: subject ? { kind: "Binary", op: "=", left: subject, right: cond } : cond, then: this.expr() });
    }
    if (branches.length === 0) this.fail("CASE needs at least one WHEN");
    const otherwise = this.word("else") ? this.expr() : undefined;
    this.expectWord("end");
    return { kind: "Case", branches, ...(otherwise ? { otherwise } : {}) };
  }
}

function numberLiteral(text: string): Expr {
  if (/^-?\d+$/.test(text)) {
    const big = BigInt(text);
    return big >= -(2n ** 31n) && big < 2n ** 31n ? literalExpr(Number(big)) : literalExpr(big);
  }
  // 1.0 and 1e3 are doubles in SQL even when their value is whole.
  return literalExpr(Number(text), { kind: "float64" });
}

/** Parses one SQL expression; `AS name` at the end (selectExpr) becomes an Alias. */
export function parseSqlExpr(text: string): Expr {
  const tokens = tokenize(text);
  let alias: string | undefined;
  const n = tokens.length;
  if (n >= 2 && tokens[n - 2]!.kind === "id" && tokens[n - 2]!.text.toLowerCase() === "as" && (tokens[n - 1]!.kind === "id" || tokens[n - 1]!.kind === "qid")) {
    alias = tokens[n - 1]!.text;
    tokens.splice(n - 2, 2);
  }
  if (tokens.length === 0) throw new SqlParseError("The expression is empty");
  const e = new Parser(tokens, text).parseAll();
  return alias ? { kind: "Alias", expr: e, name: alias } : e;
}
