/**
 * The path JupyterLab takes: Debian's jupyter server launches the kernel from its kernelspec and
 * @jupyterlab/services drives it over REST + WebSocket: execute, read IOPub, interrupt, restart, shut down.
 */
import { KernelManager, KernelMessage, KernelSpecAPI, type Kernel } from "@jupyterlab/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJupyterEnv, kernelUnderTest, type JupyterEnv } from "./support/jupyter-env.js";
import { startJupyterServer, type RunningServer } from "./support/jupyter-server.js";
import { snippetsFor } from "./support/snippets.js";

const kernelName = kernelUnderTest();
const code = snippetsFor(kernelName);
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

interface CellRun {
  readonly reply: KernelMessage.IExecuteReplyMsg;
  readonly outputs: KernelMessage.IIOPubMessage[];
}

async function execute(kernel: Kernel.IKernelConnection, source: string): Promise<CellRun> {
  const outputs: KernelMessage.IIOPubMessage[] = [];
  const future = kernel.requestExecute({ code: source });
  future.onIOPub = (msg) => {
    if (!KernelMessage.isStatusMsg(msg)) outputs.push(msg);
  };
  const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
  return { reply, outputs };
}

/** startNew returns before the WebSocket is open; a request sent earlier is refused, not queued. */
async function connected(kernel: Kernel.IKernelConnection, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (kernel.connectionStatus !== "connected") {
    if (Date.now() > deadline) throw new Error(`kernel WebSocket still ${kernel.connectionStatus} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function resultOf(run: CellRun): string | undefined {
  const result = run.outputs.find(KernelMessage.isExecuteResultMsg);
  const text = result?.content.data["text/plain"];
  return typeof text === "string" ? text.replace(ANSI, "") : undefined;
}

function stdoutOf(run: CellRun): string {
  return run.outputs
    .filter(KernelMessage.isStreamMsg)
    .filter((m) => m.content.name === "stdout")
    .map((m) => m.content.text)
    .join("");
}

describe(`jupyter server + @jupyterlab/services with the ${kernelName} kernel`, () => {
  let jupyter: JupyterEnv | undefined;
  let server: RunningServer | undefined;
  let manager: KernelManager | undefined;
  let kernel: Kernel.IKernelConnection | undefined;

  beforeAll(async () => {
    jupyter = await createJupyterEnv("server");
    server = await startJupyterServer(jupyter);
    manager = new KernelManager({ serverSettings: server.settings });
    await manager.ready;
  }, 90_000);

  afterAll(async () => {
    try {
      if (kernel && !kernel.isDisposed) await kernel.shutdown().catch(() => undefined);
      manager?.dispose();
      await server?.stop();
    } finally {
      await jupyter?.dispose();
    }
  }, 60_000);

  it("lists the kernelspec with its language", async () => {
    const specs = await KernelSpecAPI.getSpecs(server!.settings);
    expect(Object.keys(specs.kernelspecs)).toEqual([kernelName]);
    const spec = specs.kernelspecs[kernelName];
    expect(spec?.language).toBe(kernelName === "kindling" ? "typescript" : "python");
  });

  it("starts the kernel and answers kernel_info", async () => {
    kernel = await manager!.startNew({ name: kernelName });
    await connected(kernel);
    const info = await kernel.requestKernelInfo();
    expect(info?.content.status).toBe("ok");
    if (info?.content.status === "ok") {
      expect(info.content.language_info.name).toBe(kernelName === "kindling" ? "typescript" : "python");
    }
  });

  it("executes cells and streams their outputs over the WebSocket", async () => {
    const declared = await execute(kernel!, code.setKept);
    expect(declared.reply.content.status).toBe("ok");
    const printed = await execute(kernel!, code.printHi);
    expect(stdoutOf(printed)).toBe("hi 42\n");
    const value = await execute(kernel!, code.readKept);
    expect(resultOf(value)).toBe("42");
    const shown = await execute(kernel!, code.displayHtml);
    const display = shown.outputs.find(KernelMessage.isDisplayDataMsg);
    expect(display?.content.data["text/html"]).toBe("<b>x</b>");
  });

  it("reports an error as an error reply and an error output", async () => {
    const failed = await execute(kernel!, code.raiseError);
    expect(failed.reply.content.status).toBe("error");
    const error = failed.outputs.find(KernelMessage.isErrorMsg);
    expect(error?.content.evalue).toContain(code.errorMessage);
  });

  it("interrupts a busy loop through the server and keeps the kernel's state", async () => {
    const future = kernel!.requestExecute({ code: code.busyLoop });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    await kernel!.interrupt();
    const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(reply.content.status).toBe("error");
    // Debian's ipykernel aborts requests that arrive right after an error; ours must not. Give it time.
    if (kernelName !== "kindling") await new Promise((resolve) => setTimeout(resolve, 500));
    expect(resultOf(await execute(kernel!, code.readKept))).toBe("42");
  });

  it("restarts into a fresh kernel that still executes", async () => {
    await kernel!.restart();
    await connected(kernel!);
    await kernel!.requestKernelInfo();
    expect(resultOf(await execute(kernel!, code.keptGone))).toBe(code.keptGoneResult);
    expect(resultOf(await execute(kernel!, "6*7"))).toBe("42");
  });

  it("shuts the kernel down and the server forgets it", async () => {
    await kernel!.shutdown();
    await manager!.refreshRunning();
    expect([...manager!.running()]).toEqual([]);
  });
});
