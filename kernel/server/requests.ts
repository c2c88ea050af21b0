/**
 * Handlers for the short requests: kernel_info, complete, inspect, is_complete, history, comms,
 * connect. Each validates its content (clients can send anything) and replies once.
 */
import type { LanguageTools } from "../lang/api.js";
import type { ConnectionInfo } from "../protocol/connection-file.js";
import type { JupyterMessage } from "../protocol/message.js";
import type { ChannelName, Channels } from "./channels.js";
import type { History } from "./history.js";

export interface RequestDeps {
  channels: Channels;
  tools: () => Promise<LanguageTools>;
  history: History;
  connection: ConnectionInfo;
  kernelInfo: () => Record<string, unknown>;
}

export type RequestHandler = (request: JupyterMessage, channel: ChannelName, deps: RequestDeps) => Promise<void>;

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const position = (value: unknown, code: string): number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : [...code].length;

export const requestHandlers: Record<string, RequestHandler> = {
  async kernel_info_request(request, channel, deps) {
    deps.channels.reply(channel, request, "kernel_info_reply", deps.kernelInfo());
  },

  async complete_request(request, channel, deps) {
    const code = text(request.content["code"]);
    const cursor = position(request.content["cursor_pos"], code);
    const result = await (await deps.tools()).complete(code, cursor);
    deps.channels.reply(channel, request, "complete_reply", {
      status: "ok",
      matches: result.matches,
      cursor_start: result.cursorStart,
      cursor_end: result.cursorEnd,
      metadata: { _jupyter_types_experimental: result.types },
    });
  },

  async inspect_request(request, channel, deps) {
    const code = text(request.content["code"]);
    const cursor = position(request.content["cursor_pos"], code);
    const detail = request.content["detail_level"] === 1 ? 1 : 0;
    const result = await (await deps.tools()).inspect(code, cursor, detail);
    deps.channels.reply(channel, request, "inspect_reply", { status: "ok", found: result.found, data: result.data, metadata: {} });
  },

  async is_complete_request(request, channel, deps) {
    const result = await (await deps.tools()).isComplete(text(request.content["code"]));
    deps.channels.reply(channel, request, "is_complete_reply", result);
  },

  async history_request(request, channel, deps) {
    deps.channels.reply(channel, request, "history_reply", { status: "ok", history: deps.history.query(request.content) });
  },

  async comm_info_request(request, channel, deps) {
    // No comm targets are registered yet, so there are no open comms to list.
    deps.channels.reply(channel, request, "comm_info_reply", { status: "ok", comms: {} });
  },

  async comm_open(request, _channel, deps) {
    // Unknown target: close it right away so the frontend does not wait on a comm that will never answer.
    const commId = text(request.content["comm_id"]);
    deps.channels.iopub.publish("comm_close", { comm_id: commId, data: {} }, request);
  },

  async comm_msg() {
    // No comms can be open (every comm_open is closed), so there is nothing to deliver.
  },

  async comm_close() {},

  async connect_request(request, channel, deps) {
    const c = deps.connection;
    deps.channels.reply(channel, request, "connect_reply", {
      status: "ok",
      shell_port: c.shell_port,
      iopub_port: c.iopub_port,
      stdin_port: c.stdin_port,
      hb_port: c.hb_port,
      control_port: c.control_port,
    });
  },
};
