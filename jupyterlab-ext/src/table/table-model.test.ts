import type { TablePayload } from "@radlab/kernel/contract";
import { describe, expect, it } from "vitest";
import { formatCellText, nextSortState, rowCountText, sortedRowOrder, UNSORTED } from "./table-model";

const payload: TablePayload = {
  version: 1,
  columns: [
    { name: "finding", type: "string" },
    { name: "age", type: "number" },
  ],
  rows: [
    ["b", 50],
    ["a10", null],
    ["a9", 30],
    ["c", 50],
  ],
  totalRows: 4,
};

describe("table model", () => {
  it("cycles a column through ascending, descending and unsorted", () => {
    const asc = nextSortState(UNSORTED, 1);
    expect(asc).toEqual({ column: 1, direction: "ascending" });
    const desc = nextSortState(asc, 1);
    expect(desc).toEqual({ column: 1, direction: "descending" });
    expect(nextSortState(desc, 1)).toEqual(UNSORTED);
    expect(nextSortState(desc, 0)).toEqual({ column: 0, direction: "ascending" });
  });

  it("sorts stably, numbers numerically, text naturally, missing values last both ways", () => {
    expect(sortedRowOrder(payload, UNSORTED)).toEqual([0, 1, 2, 3]);
    expect(sortedRowOrder(payload, { column: 1, direction: "ascending" })).toEqual([2, 0, 3, 1]);
    expect(sortedRowOrder(payload, { column: 1, direction: "descending" })).toEqual([0, 3, 2, 1]);
    expect(sortedRowOrder(payload, { column: 0, direction: "ascending" })).toEqual([2, 1, 0, 3]);
  });

  it("formats cells and the row count", () => {
    expect(formatCellText(null)).toBe("");
    expect(formatCellText(1234567)).toBe("1234567");
    expect(formatCellText(0.1234567891)).toBe("0.123457");
    expect(formatCellText(12345.5)).toBe("12,345.5");
    expect(formatCellText(true)).toBe("true");
    expect(rowCountText(payload)).toBe("4 rows");
    expect(rowCountText({ ...payload, rows: payload.rows.slice(0, 1), totalRows: 1 })).toBe("1 row");
    expect(rowCountText({ ...payload, totalRows: 112120 })).toBe("Showing 4 of 112,120 rows");
  });
});
