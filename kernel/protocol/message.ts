/**
 * The Jupyter message as the kernel handles it: decoded JSON parts plus the routing identities
 * of the socket it came from. Types for the known message kinds come from @jupyterlab/services
 * (type-only import, so the package is never loaded at run time).
 */
import { randomUUID } from "node:crypto";
import type { KernelMessage } from "@jupyterlab/services";

/** The protocol version we implement (iopub_welcome, kernel_info on control, subshell_id field). */
export const PROTOCOL_VERSION = "5.5";

export type JsonObject = { [key: string]: unknown };

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

export interface JupyterMessage<C extends object = JsonObject> {
  /** ZMQ routing identities (ROUTER sockets), echoed back on replies; empty on IOPub. */
  identities: Buffer[];
  header: MessageHeader;
  /** `{}` when there is no parent (e.g. `starting` status, iopub_welcome). */
  parent_header: MessageHeader | Record<string, never>;
  metadata: JsonObject;
  content: C;
  buffers: Buffer[];
  /** Set (to its size in bytes) when the content frame was too large to parse; content is then `{}`. */
  oversizedContent?: number;
}

/** Re-exported so the server can name the shapes it replies with. */
export type ExecuteRequestContent = KernelMessage.IExecuteRequestMsg["content"];
export type KernelInfoReplyContent = KernelMessage.IInfoReply;
export type ErrorContent = { ename: string; evalue: string; traceback: string[] };

/** Identifies this kernel process; regenerated on every start so clients detect restarts. */
export interface SessionIdentity {
  readonly session: string;
  readonly username: string;
}

export function createSessionIdentity(username = "kindling"): SessionIdentity {
  return { session: randomUUID(), username };
}

export function createHeader(identity: SessionIdentity, msgType: string): MessageHeader {
  return {
    msg_id: randomUUID(),
    session: identity.session,
    username: identity.username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** Builds a message in reply to (or caused by) `parent`, routed to the parent's identities. */
export function createChildMessage<C extends object>(
  identity: SessionIdentity,
  msgType: string,
  content: C,
  parent: JupyterMessage<object> | undefined,
  options: { identities?: Buffer[]; metadata?: JsonObject; buffers?: Buffer[] } = {},
): JupyterMessage<C> {
  return {
    identities: options.identities ?? parent?.identities ?? [],
    header: createHeader(identity, msgType),
    parent_header: parent ? parent.header : {},
    metadata: options.metadata ?? {},
    content,
    buffers: options.buffers ?? [],
  };
}
