import { describe, expect, it } from "vitest";
import { createCaptureSink, setDisplaySink } from "../display/display-sink";
import { display } from "../display/display";
import { RADLAB_MIME } from "../display/contract/mime-types";
import { toDataFrame } from "./data-frame";

describe("toDataFrame", () => {
  it("keeps values exact, columns in order, nulls as null and dates as ISO text", () => {
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const df = toDataFrame([
      { view: "PA", bytes: 2 ** 40 + 1, at },
      { view: null, bytes: 3, at: null },
    ]);
    expect(df.columns).toEqual(["view", "bytes", "at"]);
    expect(df.values).toEqual([
      ["PA", 2 ** 40 + 1, "2026-01-02T03:04:05.000Z"],
      [null, 3, null],
    ]);
    expect(df.column("bytes").sum()).toBe(2 ** 40 + 4);
  });

  it("renames columns that would hide a DataFrame member (the catalog's rows and columns)", () => {
    const df = toDataFrame([{ sha256: "ab", rows: 64, columns: 48, shape: "x" }]);
    expect(df.columns).toEqual(["sha256", "rows", "columns_", "shape_"]);
    expect(df.shape).toEqual([1, 4]);
    expect(df["columns_"].values).toEqual([48]);
  });

  it("keeps the columns of an empty result", () => {
    const df = toDataFrame([], ["patient_id", "label"]);
    expect(df.shape).toEqual([0, 2]);
    expect(df.columns).toEqual(["patient_id", "label"]);
  });

  it("displays as a radlab table", () => {
    const capture = createCaptureSink();
    const previous = setDisplaySink(capture);
    try {
      display(
        toDataFrame([
          { view: "AP", images: 290 },
          { view: "PA", images: 512 },
        ]),
      );
    } finally {
      setDisplaySink(previous);
    }
    const payload = capture.outputs[0]?.bundle.data[RADLAB_MIME.table] as { columns: unknown; rows: unknown };
    expect(payload.columns).toEqual([
      { name: "view", type: "string" },
      { name: "images", type: "number" },
    ]);
    expect(payload.rows).toEqual([
      ["AP", 290],
      ["PA", 512],
    ]);
  });
});
