/** Reading and writing Jupyter connection files (the ports, ip, transport and key of a kernel). */
import { readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  control_port: number;
  stdin_port: number;
  iopub_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export type Channel = "shell" | "control" | "stdin" | "iopub" | "hb";

export function readConnectionFile(path: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read connection file ${path}: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== "object") throw new Error(`Connection file ${path} is not a JSON object.`);
  const info = raw as Record<string, unknown>;
  const port = (name: string): number => {
    const value = info[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new Error(`Connection file ${path}: "${name}" must be a port number, got ${JSON.stringify(value)}.`);
    }
    return value;
  };
  const transport = info["transport"] ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") throw new Error(`Connection file ${path}: transport must be "tcp" or "ipc".`);
  return {
    transport,
    ip: typeof info["ip"] === "string" ? info["ip"] : "127.0.0.1",
    shell_port: port("shell_port"),
    control_port: port("control_port"),
    stdin_port: port("stdin_port"),
    iopub_port: port("iopub_port"),
    hb_port: port("hb_port"),
    key: typeof info["key"] === "string" ? info["key"] : "",
    signature_scheme: typeof info["signature_scheme"] === "string" ? info["signature_scheme"] : "hmac-sha256",
    ...(typeof info["kernel_name"] === "string" ? { kernel_name: info["kernel_name"] } : {}),
  };
}

/** Group/world-readable connection files leak the key; worth a warning (not fatal, Jupyter wrote it). */
export function isReadableByOthers(path: string): boolean {
  try {
    return (statSync(path).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

export function channelAddress(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel === "hb" ? "hb" : channel}_port` as `${Channel}_port`];
  return info.transport === "tcp" ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}

/** Writes a connection file readable only by its owner (it holds the signing key). */
export function writeConnectionFile(path: string, info: ConnectionInfo): void {
  writeFileSync(path, JSON.stringify(info, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
}
