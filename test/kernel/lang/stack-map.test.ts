import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { compileCell, type CompiledScript } from "../../../kernel/lang/cell-compiler.js";
import { mapStackFrames } from "../../../kernel/lang/stack-map.js";

/** Runs one compiled cell and returns its error's stack mapped back to the cell. */
async function mappedStack(code: string, n = 1): Promise<string> {
  const compiled: CompiledScript = compileCell(code, n);
  const context = vm.createContext({ __kindling_import: async () => ({ default: 1 }) });
  try {
    await new vm.Script(compiled.js, { filename: compiled.filename }).runInContext(context);
  } catch (error) {
    return mapStackFrames((error as Error).stack ?? "", (name) => (name === compiled.filename ? compiled.positions : undefined));
  }
  throw new Error("cell did not throw");
}

describe("stack traces point at the cell's TypeScript", () => {
  it("maps a throw after erased types and a multi-line import to its line and column", async () => {
    const code = [
      "interface Row {",
      "  id: number;",
      "}",
      'import {',
      '  x',
      '} from "m";',
      "const rows: Row[] = [];",
      'throw new Error("boom");',
    ].join("\n");
    expect(await mappedStack(code, 3)).toContain("cell[3]:8:7");
  });

  it("maps frames inside functions declared in the cell", async () => {
    const code = ["type N = number;", "function inner(v: N): N {", "  if (v > 0) throw new TypeError('bad ' + v);", "  return v;", "}", "inner(1);"].join("\n");
    const stack = await mappedStack(code, 7);
    expect(stack).toMatch(/at inner \(cell\[7\]:3:20\)/);
    expect(stack).toContain("cell[7]:6:1");
    // The compiler's wrapper frame is not the user's code.
    expect(stack.split("\n").filter((line) => line.includes("cell[7]"))).toHaveLength(2);
  });

  it("counts columns in code points after an emoji", async () => {
    const stack = await mappedStack('const s: string = "😀"; throw new Error(s);');
    // `new` is the 30th code point (the 31st UTF-16 unit).
    expect(stack).toContain("cell[1]:1:30");
  });

  it("maps a throw on the first line, inside the wrapper's prefix line", async () => {
    expect(await mappedStack("null!.boom")).toContain("cell[1]:1:7");
  });

  it("leaves frames of other files and unknown cells alone", () => {
    const stack = "Error\n    at cell[9]:2:3\n    at node:internal/x:1:1";
    expect(mapStackFrames(stack, () => undefined)).toBe(stack);
  });
});

describe("stack traces through rewritten declarations", () => {
  it("maps an error in the second declarator of a typed const to its column", async () => {
    const stack = await mappedStack("const a: number = 1, b: string = (null as any).boom;", 2);
    // V8 points at the property name: `boom` starts at column 48.
    expect(stack).toContain("cell[2]:1:48");
  });

  it("maps an error inside a destructuring default on a later line", async () => {
    const code = "const ok = 1;\nconst { z = (() => { throw new RangeError('no z'); })() } = {} as { z?: number };";
    // `new RangeError` starts at column 28 of line 2.
    expect(await mappedStack(code, 5)).toContain("cell[5]:2:28");
  });
});
