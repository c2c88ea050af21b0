/**
 * The nightly feature pipeline (null handling, dedupe, joins, aggregates, a 7-day rolling average
 * over a date range frame, ratios, one-hot via pivot, a string indexer) written with the public API:
 * it must type-check, analyze eagerly with the expected schema, and explain.
 */
import { afterAll, describe, expect, it } from "vitest";
import { col, F, lit, session, when, Window } from "../../../runtime/index.js";

const s = session({ workers: 2, shufflePartitions: 8 });
afterAll(() => s.stop());

const events = s.createDataFrame(
  [
    { event_id: 1, user_id: 1, ts: "2024-01-01T10:00:00Z", kind: "view", amount: null, device: "ios" },
    { event_id: 1, user_id: 1, ts: "2024-01-01T10:00:00Z", kind: "view", amount: null, device: "ios" },
    { event_id: 2, user_id: 1, ts: "2024-01-03T12:00:00Z", kind: "buy", amount: 20.0, device: null },
    { event_id: 3, user_id: 2, ts: "2024-01-02T09:30:00Z", kind: "buy", amount: 5.5, device: "web" },
  ],
  { event_id: "int64", user_id: "int64", ts: "timestamp", kind: "string", amount: "float64", device: "string" },
);
const users = s.createDataFrame([{ user_id: 1, country: "NO", signup: "2023-12-01" }, { user_id: 2, country: "SE", signup: "2023-11-15" }], {
  user_id: "int64", country: "string", signup: "date",
});

function buildFeatures() {
  const clean = events
    .dropDuplicates(["event_id"])
    .na.fill({ amount: 0, device: "unknown" })
    .dropna({ subset: ["user_id", "ts"] })
    .withColumn("day", F.toDate("ts"));

  const daily = clean
    .join(users, { on: "user_id", how: "left" })
    .groupBy("user_id", "day", "country")
    .agg(
      F.sum("amount").alias("spend"),
      F.count("*").alias("events"),
      F.sum(when(col("kind").eq("buy"), 1).otherwise(0)).alias("buys"),
      F.countDistinct("device").alias("devices"),
    );

  const byDay = Window.partitionBy("user_id").orderBy("day");
  const features = daily.withColumns({
    spend_7d: F.avg("spend").over(byDay.rangeBetween(-6, Window.currentRow)),
    events_7d: F.sum("events").over(byDay.rangeBetween(-6, 0)),
    prev_spend: F.lag("spend", 1, 0).over(byDay),
    day_rank: F.rowNumber().over(byDay),
    buy_ratio: col("buys").div(col("events")),
    spend_bucket: F.bucketize("spend", [0, 10, 100, 1e9]),
    is_weekend: F.dayofweek("day").isin(1, 7),
  });

  const oneHot = clean.groupBy("user_id").pivot("device", ["ios", "web", "unknown"]).agg(F.count("*"));
  const countryIndex = users.select("country").distinct().withColumn("country_idx", F.denseRank().over(Window.orderBy("country")).sub(lit(1)));

  return features.join(oneHot, "user_id", "left").join(countryIndex, "country", "left").orderBy("user_id", col("day").desc());
}

describe("the feature pipeline", () => {
  it("analyzes to the expected schema", () => {
    const out = buildFeatures();
    expect(out.dtypes).toEqual([
      ["country", "string"],
      ["user_id", "int64"],
      ["day", "date"],
      ["spend", "float64"],
      ["events", "int64"],
      ["buys", "int64"],
      ["devices", "int64"],
      ["spend_7d", "float64"],
      ["events_7d", "int64"],
      ["prev_spend", "float64"],
      ["day_rank", "int32"],
      ["buy_ratio", "float64"],
      ["spend_bucket", "int32"],
      ["is_weekend", "bool"],
      ["ios", "int64"],
      ["web", "int64"],
      ["unknown", "int64"],
      ["country_idx", "int32"],
    ]);
  });

  it("uses a range frame over the date for the rolling average", () => {
    const text = buildFeatures().toString();
    expect(text).toContain("avg(spend) OVER (PARTITION BY user_id ORDER BY day ASC NULLS FIRST RANGE BETWEEN 6 PRECEDING AND CURRENT ROW) AS spend_7d");
  });

  it("explains with the logical and physical sections", () => {
    const text = buildFeatures().explainString("extended");
    expect(text).toContain("== Analyzed Logical Plan ==");
    expect(text).toContain("== Optimized Logical Plan ==");
    expect(text).toContain("== Physical Plan ==");
    expect(buildFeatures().explainString()).toContain("Exchange");
  });

  it("runs and produces the features", async () => {
    const rows = await buildFeatures().collect();
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
    expect(rows).toEqual([
      {
        country: "NO", user_id: 1, day: day("2024-01-03"), spend: 20, events: 1, buys: 1, devices: 1,
        spend_7d: 10, events_7d: 2, prev_spend: 0, day_rank: 2, buy_ratio: 1, spend_bucket: 1, is_weekend: false,
        ios: 1, web: 0, unknown: 1, country_idx: 0,
      },
      {
        country: "NO", user_id: 1, day: day("2024-01-01"), spend: 0, events: 1, buys: 0, devices: 1,
        spend_7d: 0, events_7d: 1, prev_spend: 0, day_rank: 1, buy_ratio: 0, spend_bucket: 0, is_weekend: false,
        ios: 1, web: 0, unknown: 1, country_idx: 0,
      },
      {
        country: "SE", user_id: 2, day: day("2024-01-02"), spend: 5.5, events: 1, buys: 1, devices: 1,
        spend_7d: 5.5, events_7d: 1, prev_spend: 0, day_rank: 1, buy_ratio: 1, spend_bucket: 0, is_weekend: false,
        ios: 0, web: 1, unknown: 0, country_idx: 1,
      },
    ]);
  }, 60_000);
});
