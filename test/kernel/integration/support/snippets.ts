/**
 * Code the client tests type or send, per kernel. `kindling` is under test; `python3` (Debian's
 * ipykernel) validates the harness itself. Results are what the client shows (text/plain).
 */
export interface ClientSnippets {
  /** Declares `kept` (41); the kernel must keep it across an interrupt and lose it on restart. */
  readonly setKept: string;
  readonly readKept: string;
  readonly keptGone: string;
  readonly keptGoneResult: string;
  readonly printHi: string;
  readonly busyLoop: string;
  readonly raiseError: string;
  readonly errorMessage: string;
  readonly displayHtml: string;
}

const SNIPPETS: Readonly<Record<string, ClientSnippets>> = {
  kindling: {
    setKept: "const kept: number = 41",
    readKept: "kept + 1",
    keptGone: "typeof kept",
    keptGoneResult: "'undefined'",
    printHi: 'console.log("hi", kept + 1)',
    busyLoop: "while (true) {}",
    raiseError: 'throw new Error("console boom")',
    errorMessage: "console boom",
    displayHtml: 'display({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>x</b>", "text/plain": "x" }; } })',
  },
  python3: {
    setKept: "kept = 41",
    readKept: "kept + 1",
    keptGone: "'kept' in dir()",
    keptGoneResult: "False",
    printHi: 'print("hi", kept + 1)',
    busyLoop: "while True: pass",
    raiseError: 'raise ValueError("console boom")',
    errorMessage: "console boom",
    displayHtml: 'from IPython.display import HTML, display; display(HTML("<b>x</b>"))',
  },
};

export function snippetsFor(kernelName: string): ClientSnippets {
  const snippets = SNIPPETS[kernelName];
  if (!snippets) throw new Error(`no client snippets for kernel "${kernelName}"; known: ${Object.keys(SNIPPETS).join(", ")}`);
  return snippets;
}
