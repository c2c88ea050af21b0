/**
 * Data types of the engine. Plain data (tagged objects) so schemas travel to workers and into
 * explain output unchanged.
 *
 * Physical layout of each type inside a batch (see runtime/batch):
 *   bool       Uint8Array (0/1 per row)            int32   Int32Array
 *   int64      BigInt64Array (exact beyond 2^53)    float64 Float64Array
 *   decimal    BigInt64Array of unscaled values (precision <= 18)
 *   string     UTF-8 bytes + Int32Array offsets, or dictionary codes (Int32Array) + a string dictionary
 *   date       Int32Array, days since 1970-01-01    timestamp BigInt64Array, microseconds since epoch, UTC
 *   null       no buffer; every row is null         list    offsets + child column
 */
export type DataType =
  | { readonly kind: "null" }
  | { readonly kind: "bool" }
  | { readonly kind: "int32" }
  | { readonly kind: "int64" }
  | { readonly kind: "float64" }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "string" }
  | { readonly kind: "date" }
  | { readonly kind: "timestamp" }
  | { readonly kind: "list"; readonly element: DataType };

export type TypeName = DataType["kind"];

export const Types = {
  null: { kind: "null" },
  bool: { kind: "bool" },
  int32: { kind: "int32" },
  int64: { kind: "int64" },
  float64: { kind: "float64" },
  string: { kind: "string" },
  date: { kind: "date" },
  timestamp: { kind: "timestamp" },
  decimal: (precision: number, scale: number): DataType => ({ kind: "decimal", precision, scale }),
  list: (element: DataType): DataType => ({ kind: "list", element }),
} as const satisfies Record<string, DataType | ((...a: never[]) => DataType)>;

/** A named, typed column of a schema. `qualifier` is the table alias a column came from (joins). */
export interface Field {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly qualifier?: string;
}

export interface Schema {
  readonly fields: readonly Field[];
}

export function typeToString(t: DataType): string {
  switch (t.kind) {
    case "decimal":
      return `decimal(${t.precision},${t.scale})`;
    case "list":
      return `list<${typeToString(t.element)}>`;
    default:
      return t.kind;
  }
}

export function typesEqual(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "decimal" && b.kind === "decimal") return a.precision === b.precision && a.scale === b.scale;
  if (a.kind === "list" && b.kind === "list") return typesEqual(a.element, b.element);
  return true;
}

export function isNumeric(t: DataType): boolean {
  return t.kind === "int32" || t.kind === "int64" || t.kind === "float64" || t.kind === "decimal";
}
