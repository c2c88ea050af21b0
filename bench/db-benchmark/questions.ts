/**
 * db-benchmark's questions, as it defines them (groupby q1-q10, join q1-q5), with the SQL DuckDB
 * runs and the checksum columns every engine's answer is summed over to check they agree.
 */
export type Task = "groupby" | "join";

export interface Question {
  readonly task: Task;
  readonly id: string;
  readonly title: string;
  /** DuckDB's SQL over tables x (and small/medium/big for joins). */
  readonly sql: string;
  /** Columns of the answer whose sums form the checksum (besides the row count). */
  readonly checksum: readonly string[];
}

const g = (id: string, title: string, sql: string, checksum: string[]): Question => ({ task: "groupby", id, title, sql, checksum });
const j = (id: string, title: string, sql: string): Question => ({ task: "join", id, title, sql, checksum: ["v1", "v2"] });

export const GROUPBY_QUESTIONS: readonly Question[] = [
  g("q1", "sum v1 by id1", "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1", ["v1"]),
  g("q2", "sum v1 by id1:id2", "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2", ["v1"]),
  g("q3", "sum v1 mean v3 by id3", "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3", ["v1", "v3"]),
  g("q4", "mean v1:v3 by id4", "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4", ["v1", "v2", "v3"]),
  g("q5", "sum v1:v3 by id6", "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6", ["v1", "v2", "v3"]),
  g("q6", "median v3 sd v3 by id4 id5", "SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5", ["median_v3", "sd_v3"]),
  g("q7", "max v1 - min v2 by id3", "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3", ["range_v1_v2"]),
  g(
    "q8",
    "largest two v3 by id6",
    "SELECT id6, largest2_v3 FROM (SELECT id6, v3 AS largest2_v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2",
    ["largest2_v3"],
  ),
  g("q9", "regression v1 v2 by id2 id4", "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4", ["r2"]),
  g(
    "q10",
    "sum v3 count by id1:id6",
    "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6",
    ["v3", "count"],
  ),
];

export const JOIN_QUESTIONS: readonly Question[] = [
  j("q1", "small inner on int", "SELECT x.*, small.id4 AS small_id4, v2 FROM x JOIN small USING (id1)"),
  j("q2", "medium inner on int", "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x JOIN medium USING (id2)"),
  j("q3", "medium outer on int", "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x LEFT JOIN medium USING (id2)"),
  j("q4", "medium inner on factor", "SELECT x.*, medium.id1 AS medium_id1, medium.id2 AS medium_id2, medium.id4 AS medium_id4, v2 FROM x JOIN medium USING (id5)"),
  j(
    "q5",
    "big inner on int",
    "SELECT x.*, big.id1 AS big_id1, big.id2 AS big_id2, big.id4 AS big_id4, big.id5 AS big_id5, big.id6 AS big_id6, v2 FROM x JOIN big USING (id3)",
  ),
];

export function questionsOf(task: Task): readonly Question[] {
  return task === "groupby" ? GROUPBY_QUESTIONS : JOIN_QUESTIONS;
}

/** The result a runner reports for one run of one question. */
export interface Answer {
  readonly rows: number;
  /** Sums of the question's checksum columns, in order (nulls skipped). */
  readonly checksum: readonly number[];
}

/** The tables a question reads (x, plus the join's right table): a run loads only those. */
export function tablesOf(question: Question): string[] {
  const right = /\bJOIN (\w+)/.exec(question.sql)?.[1];
  return right ? ["x", right] : ["x"];
}
