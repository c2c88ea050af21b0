/** Starts the compiled kernel (dist/) as Jupyter would and connects our ZMQ client to it. */
import { resolve } from "node:path";
import { launchKernel, type LaunchedKernel, type LaunchOptions } from "../../kernel/install/launch-kernel.js";
import { KernelClient, type RequestResult } from "../../kernel/protocol/kernel-client.js";
import type { JupyterMessage } from "../../kernel/protocol/message.js";

export const CLI_PATH = resolve(import.meta.dirname, "../../dist/kernel/cli.js");

export interface TestKernel {
  kernel: LaunchedKernel;
  client: KernelClient;
  stop(): Promise<void>;
}

export async function startTestKernel(options: LaunchOptions = {}): Promise<TestKernel> {
  const kernel = await launchKernel({ cliPath: CLI_PATH, ...options });
  const client = new KernelClient(kernel.info);
  try {
    await client.connect(60_000);
  } catch (error) {
    await kernel.kill();
    throw new Error(`${(error as Error).message}\nkernel log:\n${kernel.stderr()}`);
  }
  return {
    kernel,
    client,
    async stop() {
      client.close();
      await kernel.kill();
    },
  };
}

export function outputs(result: RequestResult, msgType?: string): JupyterMessage[] {
  return result.iopub.filter((m) => m.header.msg_type !== "status" && (msgType === undefined || m.header.msg_type === msgType));
}

export function resultText(result: RequestResult): string | undefined {
  const data = outputs(result, "execute_result")[0]?.content["data"] as Record<string, unknown> | undefined;
  return data?.["text/plain"] as string | undefined;
}

export function streamText(result: RequestResult, name: "stdout" | "stderr"): string {
  return outputs(result, "stream")
    .filter((m) => m.content["name"] === name)
    .map((m) => String(m.content["text"]))
    .join("");
}

export function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Resolves with the value, or rejects if it takes longer than ms. */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
