/**
 * Kernel benchmark (not a test): start -> first kernel_info_reply, trivial cell round trips (median of
 * 200 each, interleaved so machine load hits them alike): a re-run cell (`1 + 1`, the same text every
 * time), a never-seen cell (`1 + ${i}`), and kernel_info (the floor: ZeroMQ, signing, busy/idle, no
 * cell); interrupt latency of a busy loop, warm completion latency. Run after `npx tsc -p .`:
 *   node dist/bench/kernel/run.js
 *   node dist/bench/kernel/run.js --trips   (only the round trips: quicker when comparing a change)
 * Prints a markdown table; bench/kernel/README.md keeps the last measured one.
 */
import { launchKernel } from "../../kernel/install/launch-kernel.js";
import { KernelClient } from "../../kernel/protocol/kernel-client.js";

const ROUND_TRIPS = 200;
const INTERRUPTS = 10;
const COMPLETIONS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function firstKernelInfo(): Promise<number> {
  const started = performance.now();
  const kernel = await launchKernel();
  const client = new KernelClient(kernel.info);
  await client.connect(30_000);
  const elapsed = performance.now() - started;
  client.close();
  await kernel.kill();
  return elapsed;
}

async function main(): Promise<void> {
  const tripsOnly = process.argv.includes("--trips");
  const starts: number[] = [];
  for (let i = 0; i < (tripsOnly ? 0 : 5); i++) starts.push(await firstKernelInfo());

  const kernel = await launchKernel();
  const client = new KernelClient(kernel.info);
  await client.connect(30_000);
  const warmStarted = performance.now();
  await client.execute("1");
  const firstCell = performance.now() - warmStarted;

  const rerunTrips: number[] = [];
  const newCellTrips: number[] = [];
  const kernelInfoTrips: number[] = [];
  const timed = async (into: number[], request: () => Promise<unknown>): Promise<void> => {
    const t = performance.now();
    await request();
    into.push(performance.now() - t);
  };
  for (let i = 0; i < 20; i++) await client.execute(`0 - ${i}`); // warm both code paths first
  for (let i = 0; i < ROUND_TRIPS; i++) {
    await timed(rerunTrips, () => client.execute("1 + 1"));
    await timed(newCellTrips, () => client.execute(`1 + ${i}`));
    await timed(kernelInfoTrips, () => client.request("shell", "kernel_info_request", {}));
  }

  const interrupts: number[] = [];
  for (let i = 0; i < (tripsOnly ? 0 : INTERRUPTS); i++) {
    const running = client.execute("while (true) {}");
    await delay(150);
    const t = performance.now();
    await client.request("control", "interrupt_request", {});
    await running;
    interrupts.push(performance.now() - t);
  }

  await client.execute("const numbers = [1, 2, 3];");
  const completions: number[] = [];
  for (let i = 0; i < (tripsOnly ? 0 : COMPLETIONS + 3); i++) {
    const t = performance.now();
    await client.request("shell", "complete_request", { code: "Math.ab", cursor_pos: 7 });
    if (i >= 3) completions.push(performance.now() - t); // first calls warm the language service
  }

  await client.request("control", "shutdown_request", { restart: false });
  client.close();
  await kernel.kill();

  const rows: [string, string, string][] = [
    ["start -> first kernel_info_reply (median of 5)", `${median(starts).toFixed(0)} ms`, "<= 600 ms"],
    ["first cell (type checker cold)", `${firstCell.toFixed(0)} ms`, "-"],
    [`trivial cell round trip, re-run \`1 + 1\` (median of ${ROUND_TRIPS})`, `${median(rerunTrips).toFixed(2)} ms`, "<= 3 ms"],
    [`trivial cell round trip, new cell \`1 + i\` (median of ${ROUND_TRIPS})`, `${median(newCellTrips).toFixed(2)} ms`, "<= 3 ms"],
    [`kernel_info round trip, the floor (median of ${ROUND_TRIPS})`, `${median(kernelInfoTrips).toFixed(2)} ms`, "-"],
    [`interrupt of while(true) (median of ${INTERRUPTS})`, `${median(interrupts).toFixed(0)} ms`, "<= 100 ms"],
    [`warm completion \`Math.ab\` (median of ${COMPLETIONS})`, `${median(completions).toFixed(1)} ms`, "<= 150 ms"],
  ];
  process.stdout.write("| measure | result | target |\n|---|---|---|\n");
  for (const row of rows) process.stdout.write(`| ${row.join(" | ")} |\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
