/**
 * Builds the accumulator for an AggregateCall and describes its partial state, so the physical
 * planner can give a partial HashAggregateExec its schema (keys, then each aggregate's state
 * columns in order) and the final side can find them by position.
 */
import type { AggregateCall } from "../../../physical/plan.js";
import type { DataType, Field } from "../../../expr/types.js";
import { Types } from "../../../expr/types.js";
import { aggResultType } from "../../../expr/coercion.js";
import { OperatorError } from "../errors.js";
import type { Accumulator } from "./accumulator.js";
import { CollectAccumulator, CountDistinctAccumulator } from "./collect.js";
import { PercentileAccumulator } from "./percentile.js";
import { AvgAccumulator, CountAccumulator, FloatSumAccumulator, IntSumAccumulator, VarianceAccumulator } from "./numeric.js";
import { PickAccumulator } from "./values.js";
import { DistinctAccumulator } from "./distinct.js";
import { CovarianceAccumulator } from "./covariance.js";

function effectiveFn(call: AggregateCall): AggregateCall["fn"] {
  if (call.distinct && call.fn === "count") return "count_distinct";
  return call.fn;
}

export function createAccumulator(call: AggregateCall, argTypes: readonly DataType[]): Accumulator {
  const fn = effectiveFn(call);
  const a = argTypes[0] ?? Types.null;
  if (call.distinct && fn !== "count_distinct" && fn !== "approx_count_distinct" && fn !== "collect_set" && fn !== "min" && fn !== "max") {
    return new DistinctAccumulator(createAccumulator({ ...call, distinct: false }, argTypes), call.name);
  }
  const result = aggResultType(fn, argTypes);
  if (typeof result === "string") throw new OperatorError(`${call.name}: ${result}`);
  switch (fn) {
    case "count":
      return new CountAccumulator(call.args.length === 0);
    case "sum":
      return result.kind === "float64" ? new FloatSumAccumulator() : new IntSumAccumulator(result);
    case "avg":
      return new AvgAccumulator();
    case "stddev": case "stddev_pop": case "variance": case "var_pop":
      return new VarianceAccumulator(fn);
    case "corr": case "covar_pop": case "covar_samp":
      return new CovarianceAccumulator(fn);
    case "min": case "max": case "first": case "last":
      return new PickAccumulator(fn, a, call.params?.["ignoreNulls"] === true);
    case "median":
      return new PercentileAccumulator(0.5);
    case "percentile": {
      const p = Number(call.params?.["percentile"] ?? 0.5);
      if (!(p >= 0 && p <= 1)) throw new OperatorError(`${call.name}: percentile must be between 0 and 1, got ${p}`);
      return new PercentileAccumulator(p);
    }
    case "collect_list":
      return new CollectAccumulator(a, false);
    case "collect_set":
      return new CollectAccumulator(a, true);
    case "count_distinct": case "approx_count_distinct":
      if (argTypes.length !== 1) throw new OperatorError(`${call.name}: countDistinct over several columns is not supported yet; count distinct of a concatenated or struct key instead`);
      return new CountDistinctAccumulator(a);
  }
}

/** Number of partial state columns of each aggregate function. */
export function stateWidth(call: AggregateCall): number {
  switch (effectiveFn(call)) {
    case "avg": return 2;
    case "first": case "last": return 2;
    case "stddev": case "stddev_pop": case "variance": case "var_pop": return 3;
    case "corr": case "covar_pop": case "covar_samp": return 6;
    default: return 1;
  }
}

/** The argument types an accumulator was built with, recovered from its state types (final mode). */
export function argTypesFromState(call: AggregateCall, stateTypes: readonly DataType[]): DataType[] {
  const first = stateTypes[0] ?? Types.float64;
  switch (effectiveFn(call)) {
    case "count": return call.args.length === 0 ? [] : [Types.int64];
    case "sum": case "min": case "max": case "first": case "last": return [first];
    case "collect_list": case "collect_set": case "count_distinct": case "approx_count_distinct":
      return [first.kind === "list" ? first.element : first];
    case "corr": case "covar_pop": case "covar_samp": return [Types.float64, Types.float64];
    default: return [Types.float64];
  }
}

/** Fields of the partial state columns of `call` given its argument types (for the planner). */
export function aggregateStateFields(call: AggregateCall, argTypes: readonly DataType[]): Field[] {
  const acc = createAccumulator(call, argTypes);
  return acc.stateTypes.map((type, i) => ({ name: `${call.name}#state${i}`, type, nullable: true }));
}
