import { afterAll, describe, expect, it } from "vitest";
import { col, F, session } from "../../../runtime/index.js";

const s = session({ workers: 2 });
afterAll(() => s.stop());

describe("cancellation", () => {
  it("cancelAll() (and the kernel's global hook) stops a running action, and the session keeps working", async () => {
    const slow = s.range(200_000_000).filter(col("id").mod(7).eq(3)).agg(F.sum("id"));
    const started = Date.now();
    const running = slow.collect();
    await new Promise((r) => setTimeout(r, 300));
    const hook = (globalThis as Record<symbol, unknown>)[Symbol.for("kindling.cancelRunningJobs")] as () => void;
    hook();
    await expect(running).rejects.toThrow(/interrupt|cancel|abort/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await s.range(10).count()).toBe(10);
  }, 60_000);
});
