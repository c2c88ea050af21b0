import { afterAll, describe, expect, it } from "vitest";

// The kernel's exec worker installs this Set before user code imports the runtime (kernel/exec/exec-worker.ts).
const kernelHooks = new Set<() => void>();
(globalThis as Record<symbol, unknown>)[Symbol.for("kindling.cancelHooks")] = kernelHooks;
const { col, F, session } = await import("../../../runtime/index.js");

const s = session({ workers: 2 });
afterAll(() => s.stop());

describe("cancellation", () => {
  it("the kernel's cancel hook stops a running action, and the session keeps working", async () => {
    const slow = s.range(200_000_000).filter(col("id").mod(7).eq(3)).agg(F.sum("id"));
    const started = Date.now();
    const running = slow.collect();
    await new Promise((r) => setTimeout(r, 300));
    expect(kernelHooks.size).toBe(1);
    for (const hook of kernelHooks) hook();
    await expect(running).rejects.toThrow(/interrupt|cancel|abort/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await s.range(10).count()).toBe(10);
  }, 60_000);
});
