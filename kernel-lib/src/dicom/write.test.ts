import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { DicomDataset } from "./dataset";
import { DicomError } from "./dicom-errors";
import { readDicom, readDicomFile } from "./read";
import { DICOM_DATA } from "./test-support/corpus";
import { replacePixelData, writeDicom, writeDicomFile } from "./write";
import { decodeFrame } from "./pixels/decode-frame";

const files = [
  "pydicom/test_files/CT_small.dcm",
  "pydicom/test_files/MR_small_bigendian.dcm",
  "pydicom/test_files/MR_small_implicit.dcm",
  "pydicom/test_files/rtplan.dcm",
  "pydicom/test_files/MR_small_RLE.dcm",
  "pydicom/test_files/JPEG2000.dcm",
  "pydicom/test_files/SC_rgb_jpeg_dcmtk.dcm",
  "pydicom/charset_files/chrX1.dcm",
  "pydicom/test_files/reportsi.dcm",
  "dicomparser/CT1_UNC.explicit_big_endian.dcm",
];

/** Every element as comparable JSON: buffers as hex digests of their bytes. */
function canonical(ds: DicomDataset): string {
  return JSON.stringify({ meta: ds.transferSyntaxUid, dict: ds.dict }, (key, value: unknown) => {
    if (key === "_rawValue") return undefined;
    if (value instanceof ArrayBuffer) return `bytes:${Buffer.from(value).toString("hex")}`;
    return value;
  });
}

describe("writeDicom", () => {
  it.each(files)("round-trips %s: read, write, read gives identical elements", (name) => {
    const original = readDicomFile(path.join(DICOM_DATA, name));
    const again = readDicom(writeDicom(original), { file: "rewritten" });
    expect(canonical(again)).toBe(canonical(original));
  });

  it("writes a value longer than its VR allows as it was read (real files carry them)", () => {
    const ds = readDicomFile(path.join(DICOM_DATA, files[0] ?? ""));
    const long = "US CHEST WALL/SOFT TISSUE"; // 25 characters; CS allows 16
    ds.dict["00180015"] = { vr: "CS", Value: [long] };
    expect(readDicom(writeDicom(ds), { file: "long-cs" }).string("BodyPartExamined")).toBe(long);
  });

  it("never overwrites an existing file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-write-"));
    const target = path.join(dir, "out.dcm");
    const ds = readDicomFile(path.join(DICOM_DATA, files[0] ?? ""));
    writeDicomFile(ds, target);
    expect(readDicomFile(target).string("SOPInstanceUID")).toBe(ds.string("SOPInstanceUID"));
    expect(() => writeDicomFile(ds, target)).toThrow(DicomError);
    expect(fs.readdirSync(dir)).toEqual(["out.dcm"]);
  });
});

describe("replacePixelData", () => {
  it("writes edited pixels of a compressed colour file natively, with the pixel module updated", async () => {
    const source = readDicomFile(path.join(DICOM_DATA, "pydicom/test_files/SC_rgb_rle_2frame.dcm"));
    const frames = [await decodeFrame(source, 0), await decodeFrame(source, 1)];
    const edited = frames.map((f) => ({ ...f, samples: f.samples.slice() }));
    edited[0]?.samples.fill(0, 0, 30); // black out the first ten pixels of frame 1
    const written = readDicom(writeDicom(replacePixelData(source, edited)), { file: "masked.dcm" });
    expect(written.transferSyntaxUid).toBe("1.2.840.10008.1.2.1");
    expect([
      written.string("PhotometricInterpretation"),
      written.number("PlanarConfiguration"),
      written.number("NumberOfFrames"),
    ]).toEqual(["RGB", 0, 2]);
    const again = [await decodeFrame(written, 0), await decodeFrame(written, 1)];
    expect(Array.from(again[0]?.samples ?? [])).toEqual(Array.from(edited[0]?.samples ?? []));
    expect(Array.from(again[1]?.samples ?? [])).toEqual(Array.from(frames[1]?.samples ?? []));
    expect(Array.from(again[0]?.samples.subarray(0, 30) ?? [])).toEqual(new Array(30).fill(0));
    // The source dataset is unchanged.
    expect(source.transferSyntaxUid).toBe("1.2.840.10008.1.2.5");
  });
});
