/** Test helper: compiles cells and runs them in one vm context, like the exec worker does. */
import vm from "node:vm";
import { compileCell } from "../../../kernel/lang/cell-compiler.js";

export interface Notebook {
  readonly context: vm.Context;
  /** Imports the cells asked for, in order. */
  readonly imported: string[];
  run(code: string): Promise<{ value?: unknown }>;
}

export function notebook(modules: Record<string, unknown> = {}): Notebook {
  const imported: string[] = [];
  const context = vm.createContext({
    console,
    __kindling_import: async (spec: string) => {
      imported.push(spec);
      if (!(spec in modules)) throw new Error(`no module ${spec}`);
      return modules[spec];
    },
  });
  let n = 0;
  return {
    context,
    imported,
    async run(code: string) {
      const compiled = compileCell(code, ++n);
      if (compiled.syntaxError) throw new Error(`syntax error: ${compiled.syntaxError.message}`);
      const script = new vm.Script(compiled.js, { filename: compiled.filename });
      return (await script.runInContext(context)) as { value?: unknown };
    },
  };
}
