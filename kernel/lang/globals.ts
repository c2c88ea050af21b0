/**
 * Ambient declarations for what the kernel puts on every cell's global object
 * (kernel/display/display-api.ts, kernel/exec/input.ts). Shipped as text because the checker reads
 * it from a virtual file; keep it in step with those modules.
 */
export const GLOBALS_DTS = `
/** A handle on one output area entry: update it in place or show another value with the same id. */
interface DisplayHandle {
  /** The display id (send it to display(value, { id, update: true }) to replace this output). */
  readonly id: string;
  /** Replaces this output with \`value\`'s rich representation. */
  update(value: unknown): Promise<void>;
  /** Shows \`value\` as a new output that shares this handle's id. */
  display(value: unknown): Promise<void>;
}

/**
 * Shows a value in the cell's output with its richest representation (objects may implement
 * \`[Symbol.for("Jupyter.display")]()\` returning a MIME bundle).
 * @param opts.id a display id to update this output later; \`update: true\` replaces that output.
 */
declare function display(value: unknown, opts?: { id?: string | boolean; update?: boolean }): Promise<DisplayHandle>;

/** Asks the notebook user for a line of text (a password field with \`{ password: true }\`). */
declare function input(prompt?: string, opts?: { password?: boolean }): Promise<string>;

/** Clears the cell's output; with \`{ wait: true }\` only when the next output arrives (no flicker). */
declare function clear_output(opts?: { wait?: boolean }): void;

/** Same as clear_output. */
declare function clearOutput(opts?: { wait?: boolean }): void;
`;
