/**
 * One execute_request, start to reply: execution_count, execute_input, the %strict magic, compile
 * (syntax errors and type diagnostics with the cell's line and column), run on the exec worker,
 * execute_result or error, user_expressions. Returns whether the cell failed, so the dispatcher can
 * abort queued executes when stop_on_error is set.
 */
import type { CellDiagnostic, LanguageTools, StagedCompile } from "../lang/api.js";
import { cellFilename } from "../lang/cell-name.js";
import { INTERRUPTED, type ExecSession } from "../exec/exec-session.js";
import type { JupyterMessage } from "../protocol/message.js";
import type { Channels } from "./channels.js";
import type { History } from "./history.js";
import type { OutputRouter } from "./output-router.js";
import { formatTraceback } from "./traceback.js";

/** Cells larger than this are refused with an error reply instead of tying up the compiler. */
export const MAX_CELL_CHARS = 16 * 1024 * 1024;

export interface ExecuteState {
  executionCount: number;
  strict: boolean;
  /** Set by interrupt_request while a cell is compiling, before it reaches the exec worker. */
  interruptRequested: boolean;
}

export interface ExecuteDeps {
  channels: Channels;
  exec: ExecSession;
  tools: () => Promise<LanguageTools>;
  router: OutputRouter;
  history: History;
  state: ExecuteState;
}

export interface ExecuteOutcome {
  failed: boolean;
  stopOnError: boolean;
}

interface Failure {
  ename: string;
  evalue: string;
  traceback: string[];
}

export async function handleExecute(request: JupyterMessage, deps: ExecuteDeps): Promise<ExecuteOutcome> {
  const { channels, state } = deps;
  const content = request.content;
  const stopOnError = content["stop_on_error"] !== false;
  const code = content["code"];
  if (typeof code !== "string") {
    replyError(deps, request, state.executionCount, {
      ename: "InvalidRequest",
      evalue: 'execute_request content needs a string "code" field.',
      traceback: ['InvalidRequest: execute_request content needs a string "code" field.'],
    });
    return { failed: true, stopOnError };
  }
  const silent = content["silent"] === true;
  const storeHistory = !silent && content["store_history"] !== false;
  if (storeHistory) state.executionCount += 1;
  const count = state.executionCount;
  if (!silent) channels.iopub.publish("execute_input", { code, execution_count: count }, request);
  const historyEntry = storeHistory ? deps.history.record(count, code) : undefined;

  const { failure, plainResult } = await runCell(request, code, count, silent, deps);
  if (historyEntry && plainResult !== undefined) historyEntry.output = plainResult;
  if (failure) {
    channels.iopub.publish("error", failure, request);
    replyError(deps, request, count, failure);
    return { failed: true, stopOnError };
  }
  const expressions = readUserExpressions(content["user_expressions"]);
  const userExpressions = await deps.exec.evaluate(expressions);
  channels.reply("shell", request, "execute_reply", {
    status: "ok",
    execution_count: count,
    user_expressions: userExpressions,
    payload: [],
  });
  return { failed: false, stopOnError };
}

async function runCell(
  request: JupyterMessage,
  rawCode: string,
  count: number,
  silent: boolean,
  deps: ExecuteDeps,
): Promise<{ failure?: Failure; plainResult?: string }> {
  const { channels, state } = deps;
  if (rawCode.length > MAX_CELL_CHARS) {
    const evalue = `The cell has ${rawCode.length} characters; the limit is ${MAX_CELL_CHARS}. Load large data from a file instead.`;
    return { failure: { ename: "CellTooLarge", evalue, traceback: [`CellTooLarge: ${evalue}`] } };
  }
  const code = applyMagics(rawCode, state);
  const tools = await deps.tools();
  if (appliedStrict.get(tools) !== state.strict) {
    tools.setStrict(state.strict); // a message to the tools' worker: only when it changes
    appliedStrict.set(tools, state.strict);
  }
  if (code.trim() === "") return {};
  const staged = compileCell(tools, code, count);
  const known = state.strict ? undefined : knownScripts(tools).get(code);
  let compiled: StagedCompile;
  if (known !== undefined) {
    // A re-run: the compile is pure, so the JavaScript is the one from before and the cell can
    // start now. The language worker still compiles (for this count's stack positions) and checks.
    compiled = { js: known, filename: cellFilename(count), diagnostics: staged.then((cell) => cell.diagnostics) };
    rememberScript(tools, code, known);
  } else {
    compiled = await staged;
    if (compiled.syntaxError === undefined) rememberScript(tools, code, compiled.js);
  }
  if (state.interruptRequested) return { failure: interruptedFailure() };
  if (compiled.syntaxError) {
    return { failure: diagnosticFailure("SyntaxError", [compiled.syntaxError], code, compiled.filename) };
  }
  if (state.strict) {
    // Strict mode refuses to run a cell with type errors, so it must wait for the checker first.
    const errors = (await compiled.diagnostics).filter((d) => d.category === "error");
    if (state.interruptRequested) return { failure: interruptedFailure() };
    if (errors.length > 0) {
      return { failure: diagnosticFailure("TypeScriptError", errors, code, compiled.filename, "strict mode is on (%strict off to run anyway)") };
    }
  }
  // The cell runs while the checker works; its outputs are held until the warnings are out.
  deps.router.beginCell(request, request.content["allow_stdin"] === true, true);
  try {
    const running = deps.exec.run(compiled.js, compiled.filename);
    running.catch(() => undefined); // awaited below, after the diagnostics

    // Type warnings come before the cell's outputs when the checker answers within
    // WARNINGS_FIRST_MS, otherwise after all of them; never in between, always before the result.
    const diagnostics = settledDiagnostics(compiled);
    const early = await within(diagnostics, WARNINGS_FIRST_MS);
    if (early !== undefined) publishDiagnostics(early, compiled.filename, request, deps);
    deps.router.release();
    if (early === undefined) {
      await running; // its outputs were published before it reported done
      publishDiagnostics(await diagnostics, compiled.filename, request, deps);
    }
    const result = await running;
    if (result.status === "ok") {
      if (result.value && !silent) {
        channels.iopub.publish("execute_result", { execution_count: count, data: result.value.data, metadata: result.value.metadata }, request);
      }
      const plain = result.value?.data["text/plain"];
      return typeof plain === "string" ? { plainResult: plain } : {};
    }
    return { failure: { ename: result.ename, evalue: result.evalue, traceback: await formatTraceback(result, tools) } };
  } finally {
    deps.router.endCell();
    // Declarations made before a failure exist in the context too, so later cells must see them.
    // Not awaited: the tools handle requests in order, so the next compile already sees this commit.
    tools.commit(code, count).catch(() => undefined);
  }
}

const appliedStrict = new WeakMap<LanguageTools, boolean>();

/** JavaScript of cells that compiled, by text (per tools instance); bounded, oldest out first. */
const KNOWN_SCRIPTS = 64;
const scriptsByTools = new WeakMap<LanguageTools, Map<string, string>>();

function knownScripts(tools: LanguageTools): Map<string, string> {
  let scripts = scriptsByTools.get(tools);
  if (scripts === undefined) scriptsByTools.set(tools, (scripts = new Map()));
  return scripts;
}

function rememberScript(tools: LanguageTools, code: string, js: string): void {
  const scripts = knownScripts(tools);
  scripts.delete(code);
  scripts.set(code, js);
  if (scripts.size > KNOWN_SCRIPTS) {
    const oldest = scripts.keys().next().value;
    if (oldest !== undefined) scripts.delete(oldest);
  }
}

/** Staged when the tools can (JavaScript first, diagnostics later), else one compile. */
async function compileCell(tools: LanguageTools, code: string, count: number): Promise<StagedCompile> {
  if (tools.compileStaged !== undefined) return tools.compileStaged(code, count);
  const compiled = await tools.compile(code, count);
  return { ...compiled, diagnostics: Promise.resolve(compiled.diagnostics) };
}

/** How long a cell's outputs wait for its type warnings, so that those can come first. */
const WARNINGS_FIRST_MS = 5;

/** The diagnostics, or a warning that the cell ran unchecked (never rejects). */
async function settledDiagnostics(compiled: StagedCompile): Promise<readonly CellDiagnostic[]> {
  try {
    return await compiled.diagnostics;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [{ category: "warning", line: 1, column: 1, code: 0, message: `Kindling could not type-check this cell (${reason}); it ran unchecked.` }];
  }
}

/** The promise's value if it settles within `ms`, else undefined. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function publishDiagnostics(diagnostics: readonly CellDiagnostic[], filename: string, request: JupyterMessage, deps: ExecuteDeps): void {
  if (diagnostics.length === 0) return;
  const text = diagnostics.map((d) => formatDiagnostic(d, filename)).join("\n");
  deps.channels.iopub.publish("stream", { name: "stderr", text: `${text}\n` }, request);
}

function interruptedFailure(): Failure {
  return { ename: INTERRUPTED.ename, evalue: INTERRUPTED.evalue, traceback: [INTERRUPTED.stack] };
}

/** `%strict on` / `%strict off` lines switch type errors between warnings and errors. */
function applyMagics(code: string, state: ExecuteState): string {
  return code.replace(/^[ \t]*%strict[ \t]+(on|off)[ \t]*$/gm, (_line, mode: string) => {
    state.strict = mode === "on";
    return ""; // keep the line so later line numbers still match the cell
  });
}

function formatDiagnostic(d: CellDiagnostic, filename: string): string {
  const kind = d.category === "error" ? "type error" : "warning";
  return `${filename} line ${d.line}, column ${d.column}: ${kind} TS${d.code}: ${d.message}`;
}

function diagnosticFailure(ename: string, diagnostics: readonly CellDiagnostic[], code: string, filename: string, note?: string): Failure {
  const lines = code.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    traceback.push(formatDiagnostic(d, filename));
    const source = lines[d.line - 1];
    if (source !== undefined) traceback.push(`    ${source}`, `    ${" ".repeat(Math.max(0, d.column - 1))}^`);
  }
  if (note) traceback.push(`(${note})`);
  const first = diagnostics[0];
  const evalue = first ? `line ${first.line}, column ${first.column}: ${first.message}` : "invalid cell";
  return { ename, evalue, traceback };
}

function readUserExpressions(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object") return {};
  const out: Record<string, string> = {};
  for (const [name, expression] of Object.entries(value as Record<string, unknown>)) {
    if (typeof expression === "string") out[name] = expression;
  }
  return out;
}

function replyError(deps: ExecuteDeps, request: JupyterMessage, count: number, failure: Failure): void {
  deps.channels.reply("shell", request, "execute_reply", { status: "error", execution_count: count, ...failure, user_expressions: {}, payload: [] });
}
