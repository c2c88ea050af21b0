/**
 * The optimizer's rules, in the order each pass runs them. Order matters only for speed (the
 * list runs to a fixed point): simplify first so later rules see folded predicates; strengthen
 * outer joins before pushing filters through them; infer join-key null filters just before
 * pushdown so they reach the scans in the same pass; push filters before pruning columns (a
 * pushed filter may free a column above it); prune last.
 */
import type { OptimizerRule } from "./rule.js";
import { collapseProjections } from "./rules/collapse-projections.js";
import { combineFilters } from "./rules/combine-filters.js";
import { eliminateDistinct } from "./rules/eliminate-distinct.js";
import { eliminateOuterJoin } from "./rules/eliminate-outer-join.js";
import { eliminateRepartitions } from "./rules/eliminate-repartitions.js";
import { eliminateSorts } from "./rules/eliminate-sorts.js";
import { extractEquiKeysRule } from "./rules/extract-equi-keys.js";
import { inferJoinKeyNotNull } from "./rules/infer-join-key-not-null.js";
import { inferWindowGroupLimit } from "./rules/infer-window-group-limit.js";
import { pruneColumns } from "./rules/prune-columns.js";
import { pushDownFilter } from "./rules/push-down-filter.js";
import { pushDownLimit } from "./rules/push-down-limit.js";
import { simplifyExpressions } from "./rules/simplify-expressions.js";

export const defaultRules: readonly OptimizerRule[] = [
  simplifyExpressions,
  eliminateOuterJoin,
  combineFilters,
  inferJoinKeyNotNull,
  pushDownFilter,
  extractEquiKeysRule,
  collapseProjections,
  eliminateSorts,
  eliminateDistinct,
  eliminateRepartitions,
  pushDownLimit,
  inferWindowGroupLimit,
  pruneColumns,
];
