/**
 * Bad input and faults (research-style_reliability.md K1-K20) against the real kernel from dist/:
 * every one of them must leave the kernel answering.
 */
import { networkInterfaces } from "node:os";
import { connect } from "node:net";
import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChildMessage } from "../../kernel/protocol/message.js";
import { KernelClient } from "../../kernel/protocol/kernel-client.js";
import { DELIMITER } from "../../kernel/protocol/wire.js";
import { delay, outputs, resultText, startTestKernel, within, type TestKernel } from "./helpers.js";

let k: TestKernel;
beforeAll(async () => {
  k = await startTestKernel();
});
afterAll(async () => k?.stop());

/** An execute_request signed correctly, then handed to `tamper` before it is sent. */
async function sendTampered(tamper: (frames: Buffer[]) => Buffer[]): Promise<string> {
  const message = createChildMessage(k.client.identity, "execute_request", { code: "globalThis.tampered = true", silent: false }, undefined);
  await k.client.sendFrames("shell", tamper(k.client.encode(message)));
  return message.header.msg_id;
}

function signatureAt(frames: Buffer[]): number {
  return frames.findIndex((frame) => frame.equals(DELIMITER)) + 1;
}

async function stillAnswers(): Promise<void> {
  const info = await within(10_000, k.client.request("shell", "kernel_info_request", {}), "kernel_info after a fault");
  expect(info.reply.content["status"]).toBe("ok");
}

function sawParent(msgId: string): boolean {
  return k.client.allIopub.some((m) => (m.parent_header as { msg_id?: string }).msg_id === msgId);
}

describe("forged and malformed messages are dropped, the kernel lives on", () => {
  it.each([
    ["a wrong signature (K1)", (s: string) => s.replace(/^./, (c) => (c === "0" ? "1" : "0"))],
    ["an empty signature (K2)", () => ""],
    ["a short signature (K4)", () => "ab"],
    ["an odd-length signature (K4)", () => "abc"],
  ])("%s", async (_label, forge) => {
    const msgId = await sendTampered((frames) => {
      const at = signatureAt(frames);
      frames[at] = Buffer.from(forge(String(frames[at])));
      return frames;
    });
    await stillAnswers();
    await delay(100);
    expect(sawParent(msgId)).toBe(false);
  });

  it("a replayed message runs once (K3)", async () => {
    const message = createChildMessage(k.client.identity, "execute_request", { code: "1", silent: false }, undefined);
    const frames = k.client.encode(message);
    const first = k.client.sendAndWait("shell", message);
    await first;
    await k.client.sendFrames("shell", frames);
    await stillAnswers();
    await delay(100);
    const inputs = k.client.allIopub.filter(
      (m) => m.header.msg_type === "execute_input" && (m.parent_header as { msg_id?: string }).msg_id === message.header.msg_id,
    );
    expect(inputs.length).toBe(1);
  });

  it("garbage frames, missing delimiter and too few frames (K6)", async () => {
    await k.client.sendFrames("shell", [Buffer.from("garbage")]);
    await k.client.sendFrames("shell", [Buffer.from("a"), Buffer.from("b"), Buffer.from("c"), Buffer.from("d"), Buffer.from("e"), Buffer.from("f")]);
    await k.client.sendFrames("shell", [DELIMITER, Buffer.from("")]);
    await k.client.sendFrames("control", [Buffer.alloc(0)]);
    await stillAnswers();
  });

  it("a signed message whose content is not JSON (K7)", async () => {
    const message = createChildMessage(k.client.identity, "execute_request", {}, undefined);
    const frames = k.client.encode(message);
    const at = signatureAt(frames);
    frames[at + 4] = Buffer.from("{not json");
    await k.client.sendFrames("shell", frames);
    await stillAnswers();
    expect(sawParent(message.header.msg_id)).toBe(false);
  });

  it("a signed execute_request without code gets an error reply inside busy/idle (K8)", async () => {
    const result = await within(10_000, k.client.request("shell", "execute_request", { silent: false }), "execute without code");
    expect(result.reply.content).toMatchObject({ status: "error", ename: "InvalidRequest" });
    expect(result.iopub[0]?.content["execution_state"]).toBe("busy");
    expect(result.iopub.at(-1)?.content["execution_state"]).toBe("idle");
  });

  it("an unknown request type gets an error reply and a busy/idle pair (K9)", async () => {
    const result = await within(10_000, k.client.request("shell", "frobnicate_request", {}), "unknown request");
    expect(result.reply.header.msg_type).toBe("frobnicate_reply");
    expect(result.reply.content).toMatchObject({ status: "error", ename: "UnknownMessageType" });
  });
});

describe("size and transport limits", () => {
  it("a 64 MiB cell is refused with a clear error while heartbeat keeps answering (K10, K11)", async () => {
    const code = `// ${"x".repeat(64 * 1024 * 1024)}\n1`;
    const big = k.client.execute(code);
    const beats: boolean[] = [];
    for (let i = 0; i < 3; i++) beats.push(await k.client.heartbeat(5_000));
    const result = await within(60_000, big, "64 MiB execute");
    expect(result.reply.content).toMatchObject({ status: "error", ename: "MessageTooLarge" });
    expect(String(result.reply.content["evalue"])).toMatch(/limit is \d+/);
    expect(beats).toEqual([true, true, true]);
    expect(await k.client.heartbeat(2_000, Buffer.alloc(1024 * 1024, 7))).toBe(true);
  });

  it("listens only on the connection file's ip (K12)", async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal)?.address;
    if (!external) return; // no non-loopback interface on this machine: nothing to reach
    const reached = await new Promise<boolean>((done) => {
      const socket = connect({ host: external, port: k.kernel.info.shell_port });
      socket.once("connect", () => (socket.destroy(), done(true)));
      socket.once("error", () => done(false));
    });
    expect(reached).toBe(false);
  });

  it("the connection file it was started with is owner-only (K13)", () => {
    expect(statSync(k.kernel.connectionFile).mode & 0o777).toBe(0o600);
  });
});

describe("protocol surface", () => {
  it("welcomes IOPub subscribers and answers kernel_info on control", async () => {
    expect(k.client.allIopub.some((m) => m.header.msg_type === "iopub_welcome")).toBe(true);
    const info = await k.client.request("control", "kernel_info_request", {});
    expect(info.reply.content).toMatchObject({
      status: "ok",
      protocol_version: "5.5",
      implementation: "kindling",
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", codemirror_mode: "typescript" },
    });
    expect(info.reply.header.session).not.toBe(k.client.identity.session);
  });

  it("closes comms for unknown targets and lists no comms", async () => {
    const opened = await k.client.notify("shell", "comm_open", { comm_id: "c1", target_name: "nobody", data: {} });
    expect(outputs(opened, "comm_close")[0]?.content["comm_id"]).toBe("c1");
    const info = await k.client.request("shell", "comm_info_request", {});
    expect(info.reply.content).toEqual({ status: "ok", comms: {} });
  });

  it("an interrupt while idle is answered ok with no side effect (K17)", async () => {
    const reply = await within(5_000, k.client.request("control", "interrupt_request", {}), "idle interrupt");
    expect(reply.reply.content).toEqual({ status: "ok" });
    expect(resultText(await k.client.execute("21 * 2"))).toBe("42");
  });

  it("history returns what ran", async () => {
    await k.client.execute("const remembered = 'yes';");
    const tail = await k.client.request("shell", "history_request", { hist_access_type: "tail", n: 1, output: false, raw: true });
    expect(tail.reply.content["history"]).toEqual([[1, expect.any(Number), "const remembered = 'yes';"]]);
  });
});

describe("lifecycle", () => {
  it("a client that disconnects mid-cell and reconnects finds the kernel alive (K19)", async () => {
    const other = new KernelClient(k.kernel.info);
    await other.connect();
    void other.execute("await new Promise((r) => setTimeout(r, 800)); 'finished'");
    await delay(200);
    other.close();
    const again = new KernelClient(k.kernel.info);
    await within(15_000, again.connect(), "reconnect");
    expect(resultText(await again.execute("'alive'"))).toBe("'alive'");
    again.close();
  });

  it("SIGINT interrupts the running cell instead of killing the kernel", async () => {
    await k.client.execute("const beforeSignal = 'kept';");
    const running = k.client.execute("while (true) {}");
    await delay(400);
    k.kernel.child.kill("SIGINT");
    const interrupted = await within(5_000, running, "cell after SIGINT");
    expect(interrupted.reply.content["ename"]).toBe("Interrupted");
    expect(resultText(await k.client.execute("beforeSignal"))).toBe("'kept'");
  });

  it("starts with an empty key (authentication off) (K5)", async () => {
    const open = await startTestKernel({ key: "" });
    try {
      const info = await open.client.request("shell", "kernel_info_request", {});
      expect(info.reply.content["status"]).toBe("ok");
      expect(open.kernel.stderr()).toMatch(/empty key/);
    } finally {
      await open.stop();
    }
  });

  it.each([false, true])("shutdown (restart=%s) during a busy cell exits in under 5 s (K20)", async (restart) => {
    const busy = await startTestKernel();
    try {
      void busy.client.execute("while (true) {}");
      await delay(500);
      const started = Date.now();
      const reply = await within(5_000, busy.client.request("control", "shutdown_request", { restart }), "shutdown_reply");
      expect(reply.reply.content).toEqual({ status: "ok", restart });
      const code = await within(5_000, busy.kernel.exited, "kernel exit");
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await busy.stop();
    }
  });
});

describe("user code that ends its own thread", () => {
  it("process.exit() in a cell fails that cell with KernelStateLost; a fresh context runs and interrupts", async () => {
    const exited = await within(30_000, k.client.execute("const beforeExit = 1; process.exit(3)"), "cell calling process.exit");
    expect(exited.reply.content).toMatchObject({ status: "error", ename: "KernelStateLost" });
    expect(resultText(await k.client.execute("typeof beforeExit"))).toBe("'undefined'");
    const running = k.client.execute("while (true) {}");
    await delay(500);
    await k.client.request("control", "interrupt_request", {});
    expect((await within(5_000, running, "interrupt after a worker restart")).reply.content["ename"]).toBe("Interrupted");
  });
});
