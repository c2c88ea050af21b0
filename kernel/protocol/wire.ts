/**
 * The wire format: [identities..., "<IDS|MSG>", signature, header, parent, metadata, content, buffers...].
 * decode never throws: a malformed or forged message comes back as a reason the server logs.
 */
import type { JsonObject, JupyterMessage, MessageHeader } from "./message.js";
import type { Signer } from "./signer.js";

export const DELIMITER = Buffer.from("<IDS|MSG>");

export type DecodeResult =
  | { readonly ok: true; readonly message: JupyterMessage }
  | { readonly ok: false; readonly reason: string };

export function encodeMessage(message: JupyterMessage<object>, signer: Signer): Buffer[] {
  const parts = [
    Buffer.from(JSON.stringify(message.header)),
    Buffer.from(JSON.stringify(message.parent_header)),
    Buffer.from(JSON.stringify(message.metadata)),
    Buffer.from(JSON.stringify(message.content)),
  ];
  return [...message.identities, DELIMITER, Buffer.from(signer.sign(parts)), ...parts, ...message.buffers];
}

/**
 * Content larger than this is not parsed (a 64 MiB JSON.parse would stall the thread that answers
 * heartbeat); the message is still verified and comes back with `oversizedContent` set so the server
 * can refuse it with an error reply.
 */
export const MAX_CONTENT_BYTES = 16 * 1024 * 1024;

export function decodeMessage(frames: readonly Buffer[], signer: Signer, maxContentBytes = MAX_CONTENT_BYTES): DecodeResult {
  const delimiterAt = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiterAt < 0) return { ok: false, reason: "no <IDS|MSG> delimiter" };
  if (frames.length < delimiterAt + 6) return { ok: false, reason: `only ${frames.length} frames` };
  const signature = (frames[delimiterAt + 1] as Buffer).toString("latin1");
  const parts = frames.slice(delimiterAt + 2, delimiterAt + 6);
  const verdict = signer.verify(signature, parts);
  if (verdict !== "ok") return { ok: false, reason: verdict === "replayed" ? "replayed signature" : "invalid signature" };
  const oversized = (parts[3] as Buffer).length > maxContentBytes ? (parts[3] as Buffer).length : undefined;
  const [header, parent, metadata, content] = parts.map((part, i) => (i === 3 && oversized ? {} : parseJsonObject(part)));
  if (!header || !parent || !metadata || !content) return { ok: false, reason: "a JSON frame is not an object" };
  if (typeof header["msg_type"] !== "string" || typeof header["msg_id"] !== "string") {
    return { ok: false, reason: "header lacks msg_type or msg_id" };
  }
  return {
    ok: true,
    message: {
      identities: frames.slice(0, delimiterAt),
      header: header as MessageHeader,
      parent_header: parent as MessageHeader,
      metadata,
      content,
      buffers: frames.slice(delimiterAt + 6),
      ...(oversized === undefined ? {} : { oversizedContent: oversized }),
    },
  };
}

function parseJsonObject(frame: Buffer): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(frame.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
