import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { DicomError } from "./dicom-errors";
import { decodeFrame } from "./pixels/decode-frame";
import { imagePixelInfo } from "./pixels/image-pixel-info";
import { readDicomFile } from "./read";
import { corpusFiles, DICOM_DATA } from "./test-support/corpus";

/** Files in the upstream test data that are not DICOM, or broken on purpose, with the error each must give. */
const NOT_DICOM_OR_BROKEN: Readonly<Record<string, string>> = {
  "pydicom/pydicom-data/MISSING_over_4MiB.txt": "not-dicom",
  "pydicom/test_files/crayons.icc": "not-dicom",
  "pydicom/test_files/rtplan.dump": "not-dicom",
  "pydicom/test_files/rtstruct.dump": "not-dicom",
  "pydicom/test_files/test1.json": "not-dicom",
  "pydicom/test_files/test_PN.json": "not-dicom",
  "pydicom/test_files/zipMR.gz": "not-dicom",
  // A dataset whose first byte is a stray 0x20: pydicom reads it only with force=True.
  "pydicom/test_files/no_meta.dcm": "not-dicom",
  // Truncated on purpose (pydicom's test of truncated files).
  "pydicom/test_files/rtplan_truncated.dcm": "dicom-truncated",
};

/** Image files whose pixel data is broken on purpose, with the error decoding must give. */
const PIXELS_BROKEN: Readonly<Record<string, string>> = {
  "pydicom/test_files/MR_truncated.dcm": "pixel-module",
  // Tests of nested sequences with a 2-byte Pixel Data element and no Image Pixel module.
  "pydicom/test_files/nested_priv_SQ.dcm": "pixel-module",
  "pydicom/test_files/meta_missing_tsyntax.dcm": "pixel-module",
  // The J2K codestream's SIZ marker is overwritten by the bytes of (FFFE,E0DD) (width 14,540,801):
  // the file tests that parsers do not stop at a delimiter inside a fragment.
  "pydicom/test_files/JPEG2000-embedded-sequence-delimiter.dcm": "pixel-decode",
};

const files = corpusFiles();
const rel = (file: string) => path.relative(DICOM_DATA, file);

describe("the real-world corpus in ../shared/data/dicom", () => {
  it("reads every header, and gives the listed error for each non-DICOM or broken file", () => {
    let headers = 0;
    const unexpected: string[] = [];
    for (const file of files) {
      const expected = NOT_DICOM_OR_BROKEN[rel(file)];
      try {
        readDicomFile(file, { headerOnly: true });
        headers += 1;
        if (expected !== undefined) unexpected.push(`${rel(file)}: read, but expected ${expected}`);
      } catch (error) {
        const code = error instanceof DicomError ? error.code : `untyped ${String(error)}`;
        if (code !== expected)
          unexpected.push(`${rel(file)}: ${code}${expected === undefined ? "" : ` (expected ${expected})`}`);
        if (error instanceof DicomError) expect(error.evidence.file).toBe(file);
      }
    }
    expect(unexpected).toEqual([]);
    expect(files.length).toBe(301);
    expect(headers).toBe(301 - Object.keys(NOT_DICOM_OR_BROKEN).length);
  });

  it("decodes every frame of every image-bearing file", async () => {
    let images = 0;
    let headers = 0;
    let frames = 0;
    const failures: string[] = [];
    for (const file of files) {
      if (NOT_DICOM_OR_BROKEN[rel(file)] !== undefined) continue;
      const ds = readDicomFile(file);
      headers += 1;
      if (!ds.has("PixelData") && !ds.has("FloatPixelData") && !ds.has("DoubleFloatPixelData")) continue;
      try {
        const info = imagePixelInfo(ds);
        for (let f = 0; f < info.numberOfFrames; f++) {
          const frame = await decodeFrame(ds, f);
          expect(frame.samples.length).toBe(info.rows * info.columns * frame.samplesPerPixel);
          frames += 1;
        }
        images += 1;
        if (PIXELS_BROKEN[rel(file)] !== undefined)
          failures.push(`${rel(file)}: decoded, but expected ${PIXELS_BROKEN[rel(file)]}`);
      } catch (error) {
        const code = error instanceof DicomError || error instanceof RadlabError ? error.code : "untyped";
        if (code !== PIXELS_BROKEN[rel(file)])
          failures.push(
            `${rel(file)}: ${code} ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
          );
      }
    }
    process.stdout.write(
      `corpus: ${files.length} files, ${headers} headers, ${images} images decoded (${frames} frames), ${failures.length} unexpected failures\n`,
    );
    expect(failures).toEqual([]);
  }, 120_000);
});
