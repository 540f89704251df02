import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readDicomFile } from "../dicom/read";
import { DICOM_DATA } from "../dicom/test-support/corpus";
import { dicomGrid } from "./dicom-grid";
import { dicomHeader } from "./dicom-header";
import { dicomImage } from "./dicom-image";

const ctPath = path.join(DICOM_DATA, "pydicom/test_files/CT_small.dcm");

describe("dicomImage", () => {
  it("shows the windowed image as PNG with technical fields only, never the patient's name", async () => {
    const view = await dicomImage(ctPath, { window: "abdomen" });
    const bundle = view.toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual(["image/png", "text/html", "text/plain"]);
    expect(
      Buffer.from(bundle.data["image/png"] as string, "base64")
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    expect(view.caption).toBe("CT_small.dcm: 128x128, Explicit VR Little Endian, window 40/400 (abdomen)");
    expect(view.fields.map((f) => f.name)).toEqual([
      "Modality",
      "Manufacturer",
      "Manufacturer's Model Name",
      "Photometric Interpretation",
      "Pixel Spacing",
      "Slice Thickness",
      "Rescale Slope",
      "Rescale Intercept",
    ]);
    expect(JSON.stringify(bundle.data)).not.toContain("CompressedSamples");
    expect(bundle.metadata).toEqual({ "image/png": { width: 128, height: 128 } });
  });

  it("names the frame of a multi-frame file", async () => {
    const view = await dicomImage(path.join(DICOM_DATA, "pydicom/test_files/SC_rgb_rle_2frame.dcm"), { frame: 1 });
    expect(view.caption).toBe("SC_rgb_rle_2frame.dcm: 100x100, frame 2 of 2, RLE Lossless, colour");
  });
});

describe("dicomHeader", () => {
  it("lists meta and dataset elements with keyword, VR and value", () => {
    const t = dicomHeader(readDicomFile(ctPath));
    const rows = t.payload.rows;
    expect(t.payload.columns.map((c) => c.name)).toEqual(["tag", "keyword", "vr", "value"]);
    expect(rows.find((r) => r[1] === "TransferSyntaxUID")).toEqual([
      "(0002,0010)",
      "TransferSyntaxUID",
      "UI",
      "1.2.840.10008.1.2.1",
    ]);
    expect(rows.find((r) => r[1] === "PixelSpacing")).toEqual([
      "(0028,0030)",
      "PixelSpacing",
      "DS",
      "0.661468 \\ 0.661468",
    ]);
    expect(rows.find((r) => r[1] === "PixelData")).toEqual(["(7FE0,0010)", "PixelData", "OW", "(32768 bytes)"]);
    expect(rows.filter((r) => r[1] === "(private)").length).toBeGreaterThan(0);
  });
});

describe("dicomGrid", () => {
  it("tiles every frame of a multi-frame instance", async () => {
    const grid = await dicomGrid(
      path.join(DICOM_DATA, "dicomparser/encapsulated/multi-frame/CT0012.not_fragmented_bot_rle.dcm"),
    );
    expect(grid.tiles.map((t) => t.label)).toEqual(["frame 1", "frame 2"]);
    expect(grid.caption).toBe("CT0012.not_fragmented_bot_rle.dcm: 2 frame(s)");
    expect((grid.toMimeBundle().data["text/html"] as string).match(/<img /g)?.length).toBe(2);
  });
});
