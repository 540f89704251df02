import type { TableCell, TablePayload } from "@radlab/kernel/contract";

/** The direction a column is sorted in; `none` keeps the kernel's row order. */
export type SortDirection = "ascending" | "descending" | "none";

/** The sort state of a table view: which column, which direction. */
export interface SortState {
  readonly column: number;
  readonly direction: SortDirection;
}

/** The state before any click: the kernel's order. */
export const UNSORTED: SortState = Object.freeze({ column: -1, direction: "none" });

/** The next sort state when a column header is activated: ascending, descending, then unsorted. */
export function nextSortState(state: SortState, column: number): SortState {
  if (state.column !== column || state.direction === "none") return { column, direction: "ascending" };
  if (state.direction === "ascending") return { column, direction: "descending" };
  return UNSORTED;
}

function compareCells(a: TableCell, b: TableCell): number {
  // Missing values sort last in both directions, as in spreadsheets.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/**
 * Returns the row indices in display order for a sort state. Stable: equal cells keep the
 * kernel's order. Nulls sort last in both directions.
 */
export function sortedRowOrder(payload: TablePayload, state: SortState): number[] {
  const order = payload.rows.map((_, i) => i);
  if (state.direction === "none" || state.column < 0) return order;
  const sign = state.direction === "ascending" ? 1 : -1;
  const c = state.column;
  return order.sort((i, j) => {
    const a = payload.rows[i]?.[c] ?? null;
    const b = payload.rows[j]?.[c] ?? null;
    if (a === null || b === null) return compareCells(a, b) || i - j;
    return sign * compareCells(a, b) || i - j;
  });
}

const NUMBER_FORMAT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });

/** The text shown in a cell: numbers with grouping and at most six decimals, nulls empty. */
export function formatCellText(cell: TableCell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return Number.isInteger(cell) ? String(cell) : NUMBER_FORMAT.format(cell);
  return String(cell);
}

/** The line under the table, for example `2 rows` or `Showing 1,000 of 112,120 rows`. */
export function rowCountText(payload: TablePayload): string {
  const shown = payload.rows.length;
  const total = payload.totalRows;
  const plural = (n: number) => `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"}`;
  return shown < total ? `Showing ${shown.toLocaleString("en-US")} of ${plural(total)}` : plural(total);
}
