/**
 * The execute flow against the real kernel from dist/: what a notebook user sees for values, prints,
 * errors, displays, input, interrupts and Run-All after an error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delay, outputs, resultText, startTestKernel, streamText, within, type TestKernel } from "./helpers.js";

let k: TestKernel;
beforeAll(async () => {
  k = await startTestKernel();
  await k.client.execute("0"); // warm the TypeScript compiler once for the whole file
});
afterAll(async () => k?.stop());

describe("execute", () => {
  it("shows the last expression as execute_result with a matching execution_count", async () => {
    const result = await k.client.execute("const base: number = 40;\nbase + 2");
    const count = result.reply.content["execution_count"];
    expect(result.reply.content["status"]).toBe("ok");
    expect(outputs(result, "execute_input")[0]?.content).toEqual({ code: "const base: number = 40;\nbase + 2", execution_count: count });
    expect(outputs(result, "execute_result")[0]?.content["execution_count"]).toBe(count);
    expect(resultText(result)).toBe("42");
  });

  it("streams console output before the reply's idle, in order", async () => {
    const result = await k.client.execute('console.log("one"); console.error("two"); process.stdout.write("three\\n");');
    expect(streamText(result, "stdout")).toBe("one\nthree\n");
    expect(streamText(result, "stderr")).toBe("two\n");
    const types = result.iopub.map((m) => m.header.msg_type);
    expect(types.at(-1)).toBe("status");
    expect(result.iopub.at(-1)?.content["execution_state"]).toBe("idle");
  });

  it("shows prints made before a long synchronous loop while the loop still runs", async () => {
    const started = Date.now();
    const running = k.client.execute('console.log("starting"); const until = Date.now() + 2000; while (Date.now() < until) {}');
    let seenAt: number | undefined;
    while (seenAt === undefined && Date.now() - started < 30_000) {
      if (k.client.allIopub.some((m) => m.header.msg_type === "stream" && String(m.content["text"]).includes("starting"))) seenAt = Date.now();
      else await delay(10);
    }
    await running;
    const finishedAt = Date.now();
    expect(seenAt).toBeDefined();
    expect(finishedAt - (seenAt as number)).toBeGreaterThan(1_000);
  });

  it("reports errors with ename, evalue and a traceback pointing at the cell's line", async () => {
    const result = await k.client.execute('const ok = 1;\n\nthrow new RangeError("bad range");');
    expect(result.reply.content).toMatchObject({ status: "error", ename: "RangeError", evalue: "bad range" });
    const traceback = (outputs(result, "error")[0]?.content["traceback"] as string[]).join("\n");
    expect(traceback).toMatch(/cell\[\d+\]:3:/);
    expect(traceback).not.toMatch(/kernel\/exec|node:internal/);
  });

  it("silent cells publish no execute_input/result and do not advance the counter", async () => {
    const before = (await k.client.execute("1")).reply.content["execution_count"] as number;
    const silent = await k.client.execute("2", { silent: true });
    expect(outputs(silent)).toEqual([]);
    const noHistory = await k.client.execute("3", { store_history: false });
    expect(resultText(noHistory)).toBe("3");
    const after = (await k.client.execute("4")).reply.content["execution_count"];
    expect(after).toBe(before + 1);
  });

  it("evaluates user_expressions after the cell", async () => {
    const result = await k.client.execute("const seven = 7;", { user_expressions: { doubled: "seven * 2", broken: "nope.x" } });
    const expressions = result.reply.content["user_expressions"] as Record<string, Record<string, unknown>>;
    expect(expressions["doubled"]).toMatchObject({ status: "ok", data: { "text/plain": "14" } });
    expect(expressions["broken"]).toMatchObject({ status: "error", ename: "ReferenceError" });
  });

  it("aborts executes queued behind an error when stop_on_error is set, then runs new ones", async () => {
    const [failed, second, third] = await Promise.all([
      k.client.execute('throw new Error("first fails")'),
      k.client.execute("1"),
      k.client.execute("2"),
    ]);
    expect(failed.reply.content["status"]).toBe("error");
    expect(second.reply.content["status"]).toBe("aborted");
    expect(third.reply.content["status"]).toBe("aborted");
    expect(resultText(await k.client.execute("5"))).toBe("5");
  });

  it("runs a request sent right after an error reply (no abort window)", async () => {
    for (let i = 0; i < 5; i++) {
      const failed = await k.client.execute('throw new Error("fails")');
      expect(failed.reply.content["status"]).toBe("error");
      expect((await k.client.execute("8")).reply.content["status"]).toBe("ok");
    }
  });

  it("keeps running queued cells when stop_on_error is false", async () => {
    const [failed, next] = await Promise.all([
      k.client.execute('throw new Error("x")', { stop_on_error: false }),
      k.client.execute("6"),
    ]);
    expect(failed.reply.content["status"]).toBe("error");
    expect(resultText(next)).toBe("6");
  });

  it("display() and handles publish display_data and update_display_data with one display_id", async () => {
    const result = await k.client.execute('const handle = await display("first");\nawait handle.update("second");\nclear_output({ wait: true });');
    const shown = outputs(result, "display_data")[0];
    const updated = outputs(result, "update_display_data")[0];
    const id = (shown?.content["transient"] as { display_id: string }).display_id;
    expect(id).toBeTruthy();
    expect((updated?.content["transient"] as { display_id: string }).display_id).toBe(id);
    expect((updated?.content["data"] as Record<string, string>)["text/plain"]).toBe("'second'");
    expect(outputs(result, "clear_output")[0]?.content).toEqual({ wait: true });
  });

  it("renders values through the Jupyter.display symbol", async () => {
    const result = await k.client.execute('({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>rich</b>" }; } })');
    const data = outputs(result, "execute_result")[0]?.content["data"] as Record<string, string>;
    expect(data["text/html"]).toBe("<b>rich</b>");
  });

  it("input() asks on stdin when allowed and fails clearly when not", async () => {
    k.client.onInput = (prompt, password) => `${prompt}|${password}`;
    const allowed = await k.client.execute('await input("name?", { password: true })', { allow_stdin: true });
    expect(resultText(allowed)).toBe("'name?|true'");
    const refused = await k.client.execute('await input("name?")', { allow_stdin: false });
    expect(refused.reply.content["evalue"]).toMatch(/allow_stdin is false/);
  });

  it("an interrupt while input() waits ends the cell as Interrupted", async () => {
    k.client.onInput = () => undefined; // the user never answers
    const waiting = k.client.execute('await input("never answered")', { allow_stdin: true });
    await delay(300);
    await k.client.request("control", "interrupt_request", {});
    expect((await within(3_000, waiting, "cell waiting for input")).reply.content["ename"]).toBe("Interrupted");
    k.client.onInput = () => "";
  });

  it("history with output=true pairs inputs with their text results", async () => {
    await k.client.execute("6 * 7");
    const history = await k.client.request("shell", "history_request", { hist_access_type: "tail", n: 1, output: true, raw: true });
    expect(history.reply.content["history"]).toEqual([[1, expect.any(Number), ["6 * 7", "42"]]]);
  });

  it("interrupts a busy loop and a pending await, keeping earlier variables", async () => {
    await k.client.execute("let survivor = 41;");
    for (const code of ["while (true) {}", "await new Promise(() => {})", "await delayFor(5); while (true) {}"]) {
      if (code.includes("delayFor")) await k.client.execute("const delayFor = (ms: number) => new Promise((r) => setTimeout(r, ms));");
      const running = k.client.execute(code);
      await delay(300);
      await within(2_000, k.client.request("control", "interrupt_request", {}), "interrupt_reply");
      const interrupted = await within(2_000, running, `interrupted ${code}`);
      expect(interrupted.reply.content["ename"]).toBe("Interrupted");
      expect(resultText(await k.client.execute("survivor + 1"))).toBe("42");
    }
  });

  it("reports an exception thrown by a timer after its cell and keeps working", async () => {
    await k.client.execute('setTimeout(() => { throw new Error("late failure"); }, 20);');
    await delay(300);
    const late = k.client.allIopub.filter((m) => m.header.msg_type === "stream" && String(m.content["text"]).includes("late failure"));
    expect(late.length).toBe(1);
    expect(resultText(await k.client.execute("1 + 1"))).toBe("2");
  });

  it("puts type warnings before or after all of a cell's outputs, never between them, and before its result", async () => {
    for (let i = 0; i < 3; i++) {
      const cell = `const late${i}: number = "text";\nconsole.log("first");\nawait new Promise((r) => setTimeout(r, 30));\nconsole.log("second");\n${i}`;
      const result = await k.client.execute(cell);
      const texts = result.iopub.map((m) => (m.header.msg_type === "stream" ? String(m.content["text"]) : m.header.msg_type));
      const warning = texts.findIndex((t) => t.includes("TS2322"));
      const first = texts.findIndex((t) => t.includes("first"));
      const second = texts.findIndex((t) => t.includes("second"));
      expect(warning, texts.join(" | ")).toBeGreaterThanOrEqual(0);
      expect(warning < first || warning > second, texts.join(" | ")).toBe(true);
      expect(warning).toBeLessThan(texts.indexOf("execute_result"));
    }
  });

  it("re-runs a cell with the warnings, result and stack frames of its new execution count", async () => {
    const cell = 'const rerun: number = "s";\nif (rerun === "s") throw new Error("again");';
    for (const result of [await k.client.execute(cell), await k.client.execute(cell)]) {
      const count = result.reply.content["execution_count"] as number;
      expect(streamText(result, "stderr")).toContain(`cell[${count}] line 1, column 7: warning TS2322`);
      expect(result.reply.content).toMatchObject({ status: "error", evalue: "again" });
      expect((outputs(result, "error")[0]?.content["traceback"] as string[]).join("\n")).toContain(`cell[${count}]:2:`);
    }
  });

  it("warns about type errors by default and refuses them under %strict on", async () => {
    const warned = await k.client.execute('const wrong: number = "text";');
    expect(streamText(warned, "stderr")).toMatch(/line 1, column \d+: .*TS2322/);
    const strict = await k.client.execute('%strict on\nconst wrong2: number = "text";');
    expect(strict.reply.content).toMatchObject({ status: "error", ename: "TypeScriptError" });
    await k.client.execute("%strict off");
  });
});
