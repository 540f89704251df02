import { RADLAB_MIME } from "./mime-types";
import { definePayloadSchema, type IssueCollector } from "./validation";

/** A value in one cell of a table payload. */
export type TableCell = string | number | boolean | null;

/**
 * A column's type, decided by all of its values (never by the first row): `empty` when every
 * cell is null, `mixed` when non-null cells have different types.
 */
export type TableColumnType = "number" | "string" | "boolean" | "mixed" | "empty";

/** One column of a {@link TablePayload}. */
export interface TableColumn {
  readonly name: string;
  readonly type: TableColumnType;
}

/** Payload of {@link RADLAB_MIME}.table, version 1. */
export interface TablePayload {
  readonly version: 1;
  readonly columns: readonly TableColumn[];
  /** Row-major cells; each row has one cell per column. */
  readonly rows: readonly (readonly TableCell[])[];
  /** The number of rows in the whole table; more than `rows.length` when the payload was truncated. */
  readonly totalRows: number;
  readonly caption?: string;
}

const COLUMN_TYPES: readonly TableColumnType[] = ["number", "string", "boolean", "mixed", "empty"];

/** Whether a cell fits a column of the given type. */
export function cellFitsColumnType(cell: unknown, type: TableColumnType): boolean {
  if (cell === null) return true;
  switch (type) {
    case "number":
      return typeof cell === "number";
    case "string":
      return typeof cell === "string";
    case "boolean":
      return typeof cell === "boolean";
    case "mixed":
      return typeof cell === "number" || typeof cell === "string" || typeof cell === "boolean";
    case "empty":
      return false;
  }
}

function checkTable(value: unknown, issues: IssueCollector): value is TablePayload {
  if (!issues.record(value, [])) return false;
  const before = issues.issues.length;
  issues.oneOf(value.version, [1], ["version"]);
  const types: (TableColumnType | undefined)[] = [];
  if (issues.array(value.columns, ["columns"])) {
    value.columns.forEach((column: unknown, i) => {
      if (!issues.record(column, ["columns", i])) return;
      issues.string(column.name, ["columns", i, "name"]);
      if (issues.oneOf(column.type, COLUMN_TYPES, ["columns", i, "type"])) types[i] = column.type;
    });
  }
  if (issues.array(value.rows, ["rows"])) {
    value.rows.forEach((row: unknown, r) => {
      if (!issues.array(row, ["rows", r])) return;
      if (Array.isArray(value.columns) && row.length !== value.columns.length) {
        issues.add("row-length", ["rows", r], `expected ${value.columns.length} cells, got ${row.length}`);
      }
      row.forEach((cell, c) => {
        const type = types[c];
        if (type !== undefined && !cellFitsColumnType(cell, type)) {
          issues.add("cell-type", ["rows", r, c], `cell does not fit column type "${type}": ${JSON.stringify(cell)}`);
        }
      });
    });
    if (
      issues.number(value.totalRows, ["totalRows"], { min: 0, integer: true }) &&
      value.totalRows < value.rows.length
    ) {
      issues.add(
        "too-small",
        ["totalRows"],
        `totalRows ${value.totalRows} is less than the ${value.rows.length} rows sent`,
      );
    }
  }
  if (value.caption !== undefined) issues.string(value.caption, ["caption"]);
  return issues.issues.length === before;
}

/**
 * The schema of {@link RADLAB_MIME}.table payloads.
 *
 * @example
 * ```ts
 * import { tablePayloadSchema } from "@radlab/kernel/contract";
 * const result = tablePayloadSchema.safeParse('{"version":1,"columns":[],"rows":[],"totalRows":0}');
 * result.ok; // true
 * ```
 */
export const tablePayloadSchema = definePayloadSchema(RADLAB_MIME.table, checkTable);
