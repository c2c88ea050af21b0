import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { channelAddress, readConnectionFile, writeConnectionFile, type ConnectionInfo } from "../../../kernel/protocol/connection-file.js";
import { tempDir } from "../../support/temp-dirs.js";

const info: ConnectionInfo = {
  transport: "tcp", ip: "127.0.0.1", shell_port: 5001, control_port: 5002, stdin_port: 5003, iopub_port: 5004, hb_port: 5005,
  key: "k", signature_scheme: "hmac-sha256",
};

describe("connection files", () => {
  it("are written owner-only (they hold the key) and read back", () => {
    const file = join(tempDir("kindling-conn-"), "c.json");
    writeConnectionFile(file, info);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readConnectionFile(file)).toEqual(info);
  });

  it("name the bad field when a port is missing", () => {
    const file = join(tempDir("kindling-conn-"), "c.json");
    writeFileSync(file, JSON.stringify({ ...info, hb_port: "x" }));
    expect(() => readConnectionFile(file)).toThrow(/"hb_port" must be a port number/);
  });

  it("bind addresses use the file's ip and transport", () => {
    expect(channelAddress(info, "hb")).toBe("tcp://127.0.0.1:5005");
    expect(channelAddress({ ...info, transport: "ipc", ip: "/tmp/k" }, "shell")).toBe("ipc:///tmp/k-5001");
  });
});
