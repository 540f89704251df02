import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { csvField } from "../core/csv-field";
import {
  Bool,
  DateDay,
  Float64,
  Int64,
  TimestampMillisecond,
  Utf8,
  tableFromArrays,
  tableToIPC,
  vectorFromArray,
} from "apache-arrow";
import { RadlabError } from "../core/radlab-error";
import { sqlTimestamp, type SqlRow, type SqlValue } from "./database";
import { openDuckDb } from "./duckdb-database";

/** The file formats {@link exportRows} writes. */
export type ExportFormat = "csv" | "parquet" | "arrow";

/** Options of {@link exportRows}. */
export interface ExportOptions {
  /** The format; default from the file's extension (`.csv`, `.parquet`, `.arrow`, `.feather`, `.ipc`). */
  readonly format?: ExportFormat;
  /** Replace an existing file (default false: an existing file is an error). */
  readonly overwrite?: boolean;
  /** The column order (default: keys of the rows in order of first appearance; needed for an empty result). */
  readonly columns?: readonly string[];
}

/** What {@link exportRows} wrote. */
export interface ExportSummary {
  readonly file: string;
  readonly format: ExportFormat;
  readonly rows: number;
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
}

/** The column types written to Parquet and Arrow, inferred from every value of a column. */
export type ColumnType = "BIGINT" | "DOUBLE" | "BOOLEAN" | "DATE" | "TIMESTAMP" | "VARCHAR";

const EXTENSIONS: Readonly<Record<string, ExportFormat>> = {
  ".csv": "csv",
  ".parquet": "parquet",
  ".arrow": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Writes query rows to CSV (RFC 4180), Parquet (through DuckDB's writer) or Arrow IPC (the
 * Feather v2 file format), for pandas, R, Spark or DuckDB. Column types are inferred from the
 * values: whole numbers BIGINT, other numbers DOUBLE, `YYYY-MM-DD` text DATE, JavaScript dates
 * TIMESTAMP. The file appears atomically (written beside it, then renamed).
 *
 * @throws {@link RadlabError} `export-format` for an unknown extension or format,
 *   `export-exists` when the file exists and `overwrite` is not set.
 * @example
 * ```ts
 * import { openStore, exportRows } from "@radlab/kernel";
 * const store = await openStore();
 * await exportRows(await store.query("SELECT * FROM catalog WHERE modality = $1", ["CT"]), "ct.parquet");
 * ```
 */
export async function exportRows(
  rows: readonly SqlRow[],
  file: string,
  options: ExportOptions = {},
): Promise<ExportSummary> {
  const format = options.format ?? EXTENSIONS[path.extname(file).toLowerCase()];
  if (format === undefined || !Object.values(EXTENSIONS).includes(format)) {
    throw new RadlabError("export-format", `Cannot tell which format to write ${file} in.`, {
      file,
      hint: "End the file name with .csv, .parquet or .arrow, or pass { format: 'csv' | 'parquet' | 'arrow' }.",
    });
  }
  if (existsSync(file) && options.overwrite !== true) {
    throw new RadlabError("export-exists", `${file} exists; radlab does not overwrite it unasked.`, {
      file,
      hint: "Choose a new file name or pass { overwrite: true }.",
    });
  }
  const names = options.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (names.length === 0) {
    throw new RadlabError("export-empty", `Nothing to write to ${file}: no rows and no columns.`, {
      file,
      hint: "Pass { columns: [...] } to write an empty table with a header.",
    });
  }
  const columns = names.map((name) => ({ name, type: columnType(rows.map((row) => row[name])) }));
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);
  try {
    if (format === "csv") writeFileSync(temporary, csvText(rows, names));
    else if (format === "arrow") writeFileSync(temporary, arrowBytes(rows, columns));
    else await writeParquet(rows, columns, temporary);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  return { file, format, rows: rows.length, columns };
}

/** The narrowest {@link ColumnType} that holds every (non-null) value. */
export function columnType(values: readonly unknown[]): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return "VARCHAR";
  if (present.every((v) => typeof v === "boolean")) return "BOOLEAN";
  if (present.every((v) => typeof v === "number" || typeof v === "bigint")) {
    return present.every((v) => typeof v === "bigint" || Number.isSafeInteger(v)) ? "BIGINT" : "DOUBLE";
  }
  if (present.every((v) => v instanceof Date)) return "TIMESTAMP";
  if (present.every((v) => typeof v === "string" && ISO_DATE.test(v))) return "DATE";
  return "VARCHAR";
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function csvText(rows: readonly SqlRow[], names: readonly string[]): string {
  const cell = (value: unknown) => csvField(textOf(value) ?? "");
  const lines = [names.map(cell).join(","), ...rows.map((row) => names.map((n) => cell(row[n])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

function arrowBytes(rows: readonly SqlRow[], columns: ExportSummary["columns"]): Uint8Array {
  const vectors = Object.fromEntries(
    columns.map(({ name, type }) => {
      const values = rows.map((row) => row[name] ?? null);
      switch (type) {
        case "BIGINT":
          return [
            name,
            vectorFromArray(
              values.map((v) => (v === null ? null : BigInt(v as number))),
              new Int64(),
            ),
          ];
        case "DOUBLE":
          return [name, vectorFromArray(values as (number | null)[], new Float64())];
        case "BOOLEAN":
          return [name, vectorFromArray(values as (boolean | null)[], new Bool())];
        case "DATE":
          return [
            name,
            vectorFromArray(
              values.map((v) => (v === null ? null : new Date(`${String(v)}T00:00:00Z`))),
              new DateDay(),
            ),
          ];
        case "TIMESTAMP":
          return [name, vectorFromArray(values as (Date | null)[], new TimestampMillisecond())];
        default:
          return [name, vectorFromArray(values.map(textOf), new Utf8())];
      }
    }),
  );
  return tableToIPC(tableFromArrays(vectors), "file");
}

async function writeParquet(rows: readonly SqlRow[], columns: ExportSummary["columns"], file: string): Promise<void> {
  const db = await openDuckDb(":memory:");
  try {
    // Staged under plain names c0, c1, ... (insertMany takes only plain identifiers), renamed on the way out.
    await db.run(`CREATE TABLE export (${columns.map((c, i) => `c${i} ${c.type}`).join(", ")})`);
    const values: SqlValue[][] = rows.map((row) =>
      columns.map(({ name, type }) => {
        const value = row[name];
        if (value === null || value === undefined) return null;
        if (type === "TIMESTAMP") return sqlTimestamp(value as Date);
        return textOf(value);
      }),
    );
    await db.insertMany(
      "export",
      columns.map((_, i) => `c${i}`),
      values,
    );
    const select = columns.map((c, i) => `c${i} AS "${c.name.replace(/"/g, '""')}"`).join(", ");
    await db.run(`COPY (SELECT ${select} FROM export) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    await db.close();
  }
}
