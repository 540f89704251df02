import { table, type Table, type TableOptions } from "./table";

/**
 * The shape of a danfo.js `DataFrame` that display needs (duck-typed, so that showing a table
 * does not load danfo and TensorFlow.js).
 */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[] | unknown)[];
  readonly shape: readonly number[];
}

/** Whether a value looks like a danfo.js DataFrame (columns, 2-D values, shape). */
export function isDataFrameLike(value: unknown): value is DataFrameLike {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<DataFrameLike>;
  return (
    Array.isArray(v.columns) &&
    Array.isArray(v.values) &&
    Array.isArray(v.shape) &&
    v.shape.length === 2 &&
    v.values.every((row) => Array.isArray(row))
  );
}

/**
 * A danfo.js DataFrame as a radlab table (sortable in JupyterLab, HTML and text elsewhere).
 * `display(df)` does this for you.
 *
 * @example
 * ```ts
 * import { dataFrameTable, display, toDataFrame } from "@radlab/kernel";
 * display(dataFrameTable(toDataFrame([{ view: "PA", n: 512 }]), { caption: "By view" }));
 * ```
 */
export function dataFrameTable(df: DataFrameLike, options: TableOptions = {}): Table {
  const rows = (df.values as readonly (readonly unknown[])[]).map((row) =>
    Object.fromEntries(df.columns.map((name, i) => [name, row[i]])),
  );
  return table(rows, { columns: df.columns, ...options });
}
