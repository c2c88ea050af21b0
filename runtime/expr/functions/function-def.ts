/**
 * What a scalar function is: its arity, how it types (the analyzer asks `resultType` and inserts the
 * casts `castArgsTo` asks for), its documentation, and its vectorized kernel (workers call it on
 * whole columns). Plain functions and data so the registry loads the same on the driver and in workers.
 */
import type { Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import type { DataType } from "../types.js";

/** What a kernel knows besides its argument columns. */
export interface KernelContext {
  /** Rows in the batch (every argument column has this length). */
  readonly length: number;
  /** The type `resultType` promised for these argument types. */
  readonly resultType: DataType;
  /** The argument types after the implicit casts of `castArgsTo`. */
  readonly argTypes: readonly DataType[];
  /**
   * For each argument, its value when the argument is a constant (a literal after casts), else
   * `undefined`. Kernels use it to compile a regex or parse a date pattern once per batch.
   */
  readonly constants: readonly (LiteralValue | undefined)[];
}

/** Computes the function over whole columns; null in gives null out unless the doc says otherwise. */
export type Kernel = (args: readonly Column[], ctx: KernelContext) => Column;

export interface FunctionDoc {
  /** e.g. `substring(str: string, pos: int32, len?: int32) -> string` */
  readonly signature: string;
  readonly description: string;
  /** A one-line use in the DataFrame API, e.g. `F.substring(col("name"), 1, 3)` */
  readonly example: string;
}

export interface FunctionDef {
  /** Lowercase snake_case, as in Spark SQL (`regexp_extract`). */
  readonly name: string;
  readonly minArgs: number;
  /** `Infinity` for variadic functions (coalesce, concat, greatest). */
  readonly maxArgs: number;
  /** The result type, or an error message naming the expected types. */
  resultType(argTypes: readonly DataType[]): DataType | string;
  /** The types the analyzer casts the arguments to before the kernel sees them. */
  castArgsTo?(argTypes: readonly DataType[]): readonly DataType[];
  /**
   * True when the result for a row depends only on that row's first argument once the other
   * arguments are constants: the compiler then runs the kernel once over a string dictionary.
   */
  readonly perValueOfFirstArg?: boolean;
  /** False for functions like current_date() whose result is not a function of the inputs. */
  readonly deterministic?: boolean;
  readonly doc: FunctionDoc;
  readonly kernel: Kernel;
}
