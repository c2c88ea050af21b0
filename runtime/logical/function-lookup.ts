/**
 * The analyzer's view of the scalar function registry (runtime/expr/functions, owned by the
 * expression-kernel work): find a function by name, or explain what was meant.
 */
import type { FunctionDef } from "../expr/functions/function-def.js";
import { getFunction, listFunctions } from "../expr/functions/registry.js";
import { didYouMean } from "./suggest.js";

export type FunctionLookup = { readonly ok: true; readonly fn: FunctionDef } | { readonly ok: false; readonly message: string };

export function lookupFunction(name: string): FunctionLookup {
  const fn = getFunction(name);
  if (fn) return { ok: true, fn };
  const names = listFunctions().map((f) => f.name);
  return { ok: false, message: `Unknown function "${name}";${didYouMean(name, names) || " see docs/functions.md for the list."}` };
}
