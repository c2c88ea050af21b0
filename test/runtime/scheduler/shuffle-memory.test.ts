/** Grants of shuffle memory to map tasks: under the limit, split between workers, none when the machine runs low. */
import { describe, expect, it } from "vitest";
import { ShuffleMemory } from "../../../runtime/scheduler/shuffle-memory.js";

const GB = 2 ** 30;

describe("ShuffleMemory", () => {
  it("gives each running map task at most limit / workers, and less as blocks pile up", () => {
    const m = new ShuffleMemory({ limit: 8 * GB, minAvailable: 0, workers: 2 });
    const a = m.grant();
    const b = m.grant();
    expect([a, b]).toEqual([4 * GB, 4 * GB]);
    expect(m.grant()).toBe(0); // a third task while both run: nothing left
    m.settle(a);
    m.add(3 * GB); // task a kept 3 GB of blocks in memory
    m.settle(b);
    m.add(1 * GB);
    expect(m.inMemory).toBe(4 * GB);
    expect(m.grant()).toBe(4 * GB);
    m.add(3 * GB); // as if another job stored 3 GB meanwhile
    expect(m.grant()).toBe(0);
    m.remove(7 * GB); // released as reduce tasks read them
    expect(m.inMemory).toBe(0);
  });

  it("grants nothing while the machine has less than minAvailable free, whatever the limit", () => {
    let available = 10 * GB;
    const m = new ShuffleMemory({ limit: Infinity, minAvailable: 2 * GB, workers: 2, available: () => available });
    expect(m.unlimited).toBe(false);
    expect(m.grant()).toBe(8 * GB);
    expect(m.grant()).toBe(0); // the first grant may still be filled
    available = 1 * GB;
    m.settle(8 * GB);
    expect(m.grant()).toBe(0);
  });

  it("is unlimited only without a limit and without a floor", () => {
    expect(new ShuffleMemory({ limit: Infinity, minAvailable: 0, workers: 2 }).unlimited).toBe(true);
    expect(new ShuffleMemory({ limit: 1, minAvailable: 0, workers: 2 }).unlimited).toBe(false);
  });
});
