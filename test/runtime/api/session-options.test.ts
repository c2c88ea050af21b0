/** session() options: impossible values fail where they are written, with the rule and the value. */
import { describe, expect, it, vi } from "vitest";
import { session } from "../../../runtime/index.js";
import type { SessionOptions } from "../../../runtime/api/session.js";

describe("session() options", () => {
  const bad: [SessionOptions, RegExp][] = [
    [{ workers: 0 }, /workers must be a whole number of at least 1, got 0/],
    [{ workers: 1.5 }, /workers must be a whole number of at least 1, got 1\.5/],
    [{ shufflePartitions: 0 }, /shufflePartitions must be a whole number of at least 1, got 0/],
    [{ memoryBudget: -5 }, /memoryBudget must be a number of bytes above 0 \(leave it out for no budget\), got -5/],
    [{ memoryBudget: Number.NaN }, /memoryBudget must be .* got NaN/],
    [{ shuffleMemory: -1 }, /shuffleMemory must be a number of bytes, 0 or more .* got -1/],
    [{ autoBroadcastThreshold: "10MB" as unknown as number }, /autoBroadcastThreshold must be a number of bytes \(-1 turns broadcast joins off\), got "10MB"/],
  ];
  for (const [options, message] of bad) {
    it(`rejects ${JSON.stringify(options, (_k, v: unknown) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v))}`, () => {
      expect(() => session(options)).toThrow(message);
      expect(() => session(options)).toThrow(expect.objectContaining({ name: "AnalysisError" }));
    });
  }

  it("accepts 0 and Infinity for shuffleMemory, and -1 for autoBroadcastThreshold", async () => {
    const s = session({ workers: 1, shuffleMemory: 0, autoBroadcastThreshold: -1 });
    try {
      expect(s.config.shuffleMemory).toBe(0);
      expect(await s.range(10).count()).toBe(10);
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
      session({ shuffleMemory: Infinity });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/shuffleMemory is fixed once the session exists \(0\); call await session\(\)\.stop\(\) first/));
      warn.mockRestore();
      expect(s.config.shuffleMemory).toBe(0);
    } finally {
      await s.stop();
    }
  });
});
