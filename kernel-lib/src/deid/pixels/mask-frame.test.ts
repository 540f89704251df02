import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { PixelFrame } from "../../dicom/pixels/pixel-frame";
import { decodeFrame } from "../../dicom/pixels/decode-frame";
import { readDicom, readDicomFile } from "../../dicom/read";
import { replacePixelData, writeDicom } from "../../dicom/write";
import { expandBox, maskFrame } from "./mask-frame";
import { PixelDeidError } from "./pixel-deid-error";
import { PRESIDIO, ULTRASOUNDS } from "./test-support/burned-in-data";

const box = { left: 1, top: 0, width: 2, height: 1 };

describe("maskFrame", () => {
  it("fills with black as displayed: minimum for MONOCHROME2, maximum for MONOCHROME1, 0 for RGB", () => {
    const grey = (photometricInterpretation: string): PixelFrame => ({
      rows: 2,
      columns: 3,
      samplesPerPixel: 1,
      photometricInterpretation,
      samples: new Int16Array([-5, 7, 9, 100, 3, 1]),
    });
    expect([...maskFrame(grey("MONOCHROME2"), [box]).samples]).toEqual([-5, -5, -5, 100, 3, 1]);
    expect([...maskFrame(grey("MONOCHROME1"), [box]).samples]).toEqual([-5, 100, 100, 100, 3, 1]);
    const rgb: PixelFrame = {
      rows: 1,
      columns: 3,
      samplesPerPixel: 3,
      photometricInterpretation: "RGB",
      samples: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]),
    };
    const masked = maskFrame(rgb, [box]);
    expect([...masked.samples]).toEqual([1, 2, 3, 0, 0, 0, 0, 0, 0]);
    // The input is not changed.
    expect([...rgb.samples]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("rejects a box outside the frame", () => {
    const frame: PixelFrame = {
      rows: 1,
      columns: 1,
      samplesPerPixel: 1,
      photometricInterpretation: "MONOCHROME2",
      samples: new Uint8Array(1),
    };
    expect(() => maskFrame(frame, [box])).toThrow(PixelDeidError);
    expect(() => maskFrame(frame, [box])).toThrow(
      'The box {"left":1,"top":0,"width":2,"height":1} does not lie inside the 1x1 frame.',
    );
  });

  it("clips a grown box to the image", () => {
    expect(expandBox({ left: 0, top: 5, width: 10, height: 10 }, 3, 12, 100)).toEqual({
      left: 0,
      top: 2,
      width: 12,
      height: 16,
    });
  });

  it("round-trips masked 16-bit MONOCHROME1 (RLE source) and 8-bit greyscale pixels through replacePixelData and writeDicom", async () => {
    for (const file of [
      path.join(PRESIDIO, "presidio-image-redactor/tests/test_data/0_ORIGINAL_compressed.dcm"),
      path.join(ULTRASOUNDS, "GREYSCALE_IMAGE.dcm"),
    ]) {
      const ds = readDicomFile(file);
      const frame = await decodeFrame(ds, 0);
      const masked = maskFrame(frame, [{ left: 0, top: 0, width: 100, height: 40 }]);
      const back = readDicom(writeDicom(replacePixelData(ds, [masked])));
      expect(back.transferSyntaxUid).toBe("1.2.840.10008.1.2.1");
      const decoded = await decodeFrame(back, 0);
      expect(decoded.samples.constructor).toBe(masked.samples.constructor);
      // Compared as bytes: toEqual on 3.7 million samples takes seconds.
      const bytes = (f: typeof masked) => Buffer.from(f.samples.buffer, f.samples.byteOffset, f.samples.byteLength);
      expect(bytes(decoded).equals(bytes(masked))).toBe(true);
      expect(bytes(masked).equals(bytes(frame))).toBe(false);
    }
  }, 30_000);
});
