/**
 * Kindling's public entry: `import { session, col, lit, when, F, Window } from "kindling"`.
 * Works the same in a notebook cell and in a plain Node script.
 */
export { session, Session, type SessionOptions, type SessionConfig } from "./api/session.js";
export { DataFrame, type Cols, type JoinOptions } from "./api/dataframe.js";
export { GroupedData } from "./api/grouped-data.js";
export { NaFunctions } from "./api/na-functions.js";
export { F, type Functions } from "./api/functions.js";
export { udf, UdfDefinitionError, freeVariables, type UdfFunction } from "./api/udf.js";
export { Window, WindowSpecBuilder } from "./api/window.js";
export type { ExplainMode } from "./api/backend.js";
export type { SchemaSpec } from "./api/schema-inference.js";
export { col, column, lit, when, Column, CaseColumn, type ColumnLike, type ValueLike } from "./expr/column.js";
export { parseType, type TypeSpec } from "./expr/type-spec.js";
export { parseSqlExpr, SqlParseError } from "./expr/parse-sql.js";
export { Types, typeToString, type DataType, type Field, type Schema } from "./expr/types.js";
export { AnalysisError } from "./logical/errors.js";
export { JUPYTER_DISPLAY, PreviewTable } from "./render/preview.js";

// User-facing errors point at the user's line, not at the analyzer's internals.
import { DataFrame as DataFrameClass } from "./api/dataframe.js";
import { GroupedData as GroupedDataClass } from "./api/grouped-data.js";
import { NaFunctions as NaFunctionsClass } from "./api/na-functions.js";
import { Session as SessionClass } from "./api/session.js";
import { anchorErrorsAtCaller } from "./api/user-frames.js";
for (const proto of [DataFrameClass.prototype, GroupedDataClass.prototype, NaFunctionsClass.prototype, SessionClass.prototype]) anchorErrorsAtCaller(proto);
