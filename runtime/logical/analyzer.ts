/**
 * The analyzer's entry points: each DataFrame transformation calls one of these with its input
 * plan(s), and gets back an analyzed node (names resolved, types known, implicit casts explicit,
 * output `schema` computed) or an AnalysisError that names the problem and its fix.
 */
export { AnalysisError } from "./errors.js";
export { analyzeExpr, canCast, castTo, nullableOf, typeOf, type ExprContext, type Typed } from "./analyze-expr.js";
export { buildAggregate } from "./build-aggregate.js";
export {
  buildCache, buildCoalesce, buildDistinct, buildFilter, buildLimit, buildRangeRepartition, buildRepartition,
  buildSample, buildSort, buildSubqueryAlias,
} from "./build-basic.js";
export { buildUnion } from "./build-union.js";
export { buildJoin, type JoinSpec } from "./build-join.js";
export { buildProject, expandStars } from "./build-project.js";
export { columnRef, resolveField } from "./resolve-column.js";
