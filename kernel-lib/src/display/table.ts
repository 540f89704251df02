import { RADLAB_MIME } from "./contract/mime-types";
import type { TableCell, TableColumn, TableColumnType, TablePayload } from "./contract/table-payload";
import { escapeHtml } from "./html";
import { DisplayableValue, type MimeBundle } from "./mime-bundle";
import { RadlabError } from "../core/radlab-error";

/** Options of {@link table}. */
export interface TableOptions {
  /** A caption shown above the table. */
  readonly caption?: string;
  /** The most rows sent to the notebook (default 1000); the payload says how many there are in all. */
  readonly maxRows?: number;
  /** The columns to show, in order (default: every key, in order of first appearance). */
  readonly columns?: readonly string[];
}

/** Rows shown in the `text/plain` fallback. */
const TEXT_ROWS = 20;
/** Characters of a cell shown in the `text/plain` fallback. */
const TEXT_CELL_WIDTH = 40;

/**
 * Converts a JavaScript value to a table cell: finite numbers stay numbers, NaN and missing
 * values become null, dates become ISO strings, bigints numbers when exact, other objects JSON.
 */
export function toTableCell(value: unknown): TableCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value)) return `<${value.constructor.name} of ${value.byteLength} bytes>`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Decides a column's type from all of its cells. */
export function inferColumnType(cells: readonly TableCell[]): TableColumnType {
  const kinds = new Set<string>();
  for (const cell of cells) if (cell !== null) kinds.add(typeof cell);
  if (kinds.size === 0) return "empty";
  if (kinds.size > 1) return "mixed";
  const [kind] = kinds;
  return kind as "number" | "string" | "boolean";
}

/**
 * A table shown in the notebook: rendered by the radlab extension (sortable), with HTML and text
 * fallbacks. Create it with {@link table}.
 */
export class Table extends DisplayableValue {
  readonly payload: TablePayload;

  constructor(payload: TablePayload) {
    super();
    this.payload = payload;
  }

  toMimeBundle(): MimeBundle {
    return {
      data: {
        [RADLAB_MIME.table]: this.payload as unknown as Record<string, unknown>,
        "text/html": tableHtml(this.payload),
        "text/plain": tableText(this.payload),
      },
    };
  }
}

/**
 * Makes a table from an array of records.
 *
 * @param rows - one object per row; keys are column names.
 * @param options - caption, row limit and column selection.
 * @returns A {@link Table}; pass it to `display()`.
 * @throws {@link RadlabError} `table-options` when `maxRows` is not a positive integer or a
 *   requested column does not exist.
 * @example
 * ```ts
 * import { display, table } from "@radlab/kernel";
 * display(table([{ view: "PA", images: 480 }, { view: "AP", images: 322 }], { caption: "By view" }));
 * ```
 */
export function table(rows: readonly Readonly<Record<string, unknown>>[], options: TableOptions = {}): Table {
  const maxRows = options.maxRows ?? 1000;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new RadlabError("table-options", `maxRows must be a positive integer, got ${maxRows}.`, {
      hint: "Pass maxRows: 1000 or another whole number of rows.",
    });
  }
  const names = options.columns ?? columnNames(rows);
  if (options.columns !== undefined) {
    const known = new Set(columnNames(rows));
    const missing = options.columns.filter((name) => !known.has(name));
    if (missing.length > 0 && rows.length > 0) {
      throw new RadlabError("table-options", `No column named ${missing.map((m) => JSON.stringify(m)).join(", ")}.`, {
        hint: `Choose from: ${[...known].join(", ")}.`,
      });
    }
  }
  const cells = rows.slice(0, maxRows).map((row) => names.map((name) => toTableCell(row[name])));
  const columns: TableColumn[] = names.map((name, c) => ({
    name,
    type: inferColumnType(cells.map((row) => row[c] ?? null)),
  }));
  return new Table({
    version: 1,
    columns,
    rows: cells,
    totalRows: rows.length,
    ...(options.caption === undefined ? {} : { caption: options.caption }),
  });
}

function columnNames(rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) names.add(key);
  return [...names];
}

function formatCell(cell: TableCell): string {
  return cell === null ? "" : String(cell);
}

function tableHtml(payload: TablePayload): string {
  const head = payload.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join("");
  const body = payload.rows
    .map((row) => {
      const tds = row.map((cell, c) => {
        const align = payload.columns[c]?.type === "number" ? ' style="text-align:right"' : "";
        return `<td${align}>${escapeHtml(formatCell(cell))}</td>`;
      });
      return `<tr>${tds.join("")}</tr>`;
    })
    .join("");
  const caption = payload.caption === undefined ? "" : `<caption>${escapeHtml(payload.caption)}</caption>`;
  const footer =
    payload.rows.length < payload.totalRows
      ? `<p>Showing ${payload.rows.length} of ${payload.totalRows} rows.</p>`
      : "";
  return `<table class="radlab-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${footer}`;
}

function tableText(payload: TablePayload): string {
  const clip = (text: string) => (text.length > TEXT_CELL_WIDTH ? `${text.slice(0, TEXT_CELL_WIDTH - 1)}…` : text);
  const header = payload.columns.map((c) => clip(c.name));
  const rows = payload.rows.slice(0, TEXT_ROWS).map((row) => row.map((cell) => clip(formatCell(cell))));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) =>
        payload.columns[c]?.type === "number" ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  if (payload.caption !== undefined) lines.unshift(payload.caption);
  if (rows.length < payload.totalRows) lines.push(`(${rows.length} of ${payload.totalRows} rows)`);
  return lines.join("\n");
}
