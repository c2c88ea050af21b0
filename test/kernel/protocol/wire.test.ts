import { describe, expect, it } from "vitest";
import { createChildMessage, createSessionIdentity } from "../../../kernel/protocol/message.js";
import { createSigner } from "../../../kernel/protocol/signer.js";
import { decodeMessage, DELIMITER, encodeMessage } from "../../../kernel/protocol/wire.js";

const identity = createSessionIdentity("test");
const message = (content: object = { code: "1 + 1" }) =>
  createChildMessage(identity, "execute_request", content, undefined, { identities: [Buffer.from("client-7")] });

describe("wire format", () => {
  it("round-trips a signed message with identities and buffers", () => {
    const signer = createSigner("secret");
    const original = { ...message(), buffers: [Buffer.from([1, 2, 3])] };
    const decoded = decodeMessage(encodeMessage(original, signer), createSigner("secret"));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.message.identities.map(String)).toEqual(["client-7"]);
    expect(decoded.message.header.msg_type).toBe("execute_request");
    expect(decoded.message.content).toEqual({ code: "1 + 1" });
    expect([...(decoded.message.buffers[0] ?? [])]).toEqual([1, 2, 3]);
  });

  it("refuses a message signed with another key", () => {
    const frames = encodeMessage(message(), createSigner("other"));
    expect(decodeMessage(frames, createSigner("secret"))).toEqual({ ok: false, reason: "invalid signature" });
  });

  it.each([
    ["empty", ""],
    ["short", "ab"],
    ["odd-length", "abc"],
    ["non-hex of the right length", "z".repeat(64)],
  ])("refuses an %s signature without throwing", (_label, signature) => {
    const frames = encodeMessage(message(), createSigner("secret"));
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    frames[at + 1] = Buffer.from(signature);
    expect(decodeMessage(frames, createSigner("secret")).ok).toBe(false);
  });

  it("refuses a replayed message but accepts a fresh one", () => {
    const signer = createSigner("secret");
    const receiver = createSigner("secret");
    const frames = encodeMessage(message(), signer);
    expect(decodeMessage(frames, receiver).ok).toBe(true);
    expect(decodeMessage(frames, receiver)).toEqual({ ok: false, reason: "replayed signature" });
    expect(decodeMessage(encodeMessage(message(), signer), receiver).ok).toBe(true);
  });

  it("with an empty key sends an empty signature and accepts unsigned messages", () => {
    const frames = encodeMessage(message(), createSigner(""));
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    expect(frames[at + 1]?.length).toBe(0);
    expect(decodeMessage(frames, createSigner("")).ok).toBe(true);
  });

  it("drops frames without a delimiter, too few frames, and non-JSON content", () => {
    const signer = createSigner("");
    expect(decodeMessage([Buffer.from("garbage")], signer).ok).toBe(false);
    expect(decodeMessage([DELIMITER, Buffer.from(""), Buffer.from("{}")], signer).ok).toBe(false);
    const frames = encodeMessage(message(), signer);
    frames[frames.length - 1] = Buffer.from("not json {");
    expect(decodeMessage(frames, signer)).toEqual({ ok: false, reason: "a JSON frame is not an object" });
  });

  it("drops a header without msg_type", () => {
    const signer = createSigner("k");
    const parts = [{ msg_id: "1" }, {}, {}, {}].map((p) => Buffer.from(JSON.stringify(p)));
    const frames = [DELIMITER, Buffer.from(signer.sign(parts)), ...parts];
    expect(decodeMessage(frames, createSigner("k"))).toEqual({ ok: false, reason: "header lacks msg_type or msg_id" });
  });
});
