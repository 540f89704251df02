import { inflateRawSync } from "node:zlib";
import type { DicomDataset } from "../dataset";
import { concatBuffers } from "../dataset";
import { DicomError } from "../dicom-errors";
import { formatTag } from "../tag";
import { DEFLATED_IMAGE_FRAME_COMPRESSION, transferSyntax } from "../transfer-syntax";
import { decoderFor } from "../codecs/index";
import type { FrameInfo } from "../codecs/frame-codec";
import { paletteToRgb, ybr422ToYbrFull, ybrFullToRgb } from "./color";
import { encapsulatedFrames } from "./encapsulated-frames";
import { imagePixelInfo, type ImagePixelInfo } from "./image-pixel-info";
import { nativeFrameLength, nativeSamples, unpackBits } from "./native-samples";
import type { PixelFrame, PixelSamples } from "./pixel-frame";

/**
 * Decodes one frame of a dataset's pixel data, for every transfer syntax radlab reads: native
 * (little and big endian, deflated), RLE, JPEG baseline / extended / lossless, JPEG-LS, JPEG 2000
 * and HTJ2K. Colour comes back as interleaved RGB (YBR_FULL, YBR_FULL_422, YBR_ICT/RCT and PALETTE
 * COLOR converted); greyscale as stored, before the modality LUT (see `modalityValues`).
 *
 * @param frameIndex - 0-based frame number.
 * @throws {@link DicomError} `no-pixel-data`, `pixel-module` (inconsistent module or frame index out
 *   of range), `unsupported-transfer-syntax`, `pixel-decode` (a codec failed).
 * @example
 * ```ts
 * import { decodeFrame, readDicomFile } from "@radlab/kernel";
 * const frame = await decodeFrame(readDicomFile("US1_J2KR.dcm"), 0);
 * frame.photometricInterpretation; // "RGB"
 * ```
 */
export async function decodeFrame(ds: DicomDataset, frameIndex = 0): Promise<PixelFrame> {
  const info = imagePixelInfo(ds);
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= info.numberOfFrames) {
    throw new DicomError(
      "pixel-module",
      `Frame ${frameIndex} does not exist in ${ds.file}: it has ${info.numberOfFrames} frame(s).`,
      {
        file: ds.file,
        tag: formatTag("NumberOfFrames"),
      },
    );
  }
  const uid = ds.transferSyntaxUid;
  const ts = transferSyntax(uid);
  if (ts === undefined) {
    throw new DicomError(
      "unsupported-transfer-syntax",
      `${ds.file} uses transfer syntax ${uid}, which radlab cannot decode.`,
      {
        file: ds.file,
        tag: "(0002,0010) Transfer Syntax UID",
        hint: "Convert it to Explicit VR Little Endian with a DICOM toolkit (for example dcmconv or gdcmconv).",
      },
    );
  }
  const values = ds.raw(info.pixelDataKeyword)?.Value ?? [];
  let samples: PixelSamples;
  let photometric = info.photometricInterpretation;
  if (!ts.encapsulated) {
    const all = concatBuffers(values);
    if (info.bitsAllocated === 1) {
      // 1-bit frames are packed back to back, not padded to whole bytes (PS3.5 8.1.1).
      const bitsPerFrame = info.rows * info.columns * info.samplesPerPixel;
      if (Math.ceil(((frameIndex + 1) * bitsPerFrame) / 8) > all.byteLength)
        throw tooShort(ds, info, all.byteLength, frameIndex);
      return toPresentationColour(ds, info, unpackBits(all, frameIndex * bitsPerFrame, bitsPerFrame), photometric);
    }
    const length =
      info.photometricInterpretation === "YBR_FULL_422" ? info.rows * info.columns * 2 : nativeFrameLength(info);
    const start = frameIndex * length;
    if (start + length > all.byteLength) throw tooShort(ds, info, all.byteLength, frameIndex);
    const bytes = all.subarray(start, start + length);
    if (photometric === "YBR_FULL_422") {
      samples = ybr422ToYbrFull(bytes, info.rows, info.columns);
      photometric = "YBR_FULL";
    } else samples = nativeSamples(bytes, info, ts.littleEndian);
  } else {
    const frames = encapsulatedFrames(values, info.numberOfFrames);
    const bytes = frames?.[frameIndex];
    if (bytes === undefined) {
      throw new DicomError(
        "pixel-module",
        `The ${values.length} fragment(s) of ${ds.file} cannot be matched to its ${info.numberOfFrames} frames.`,
        {
          file: ds.file,
          tag: formatTag("PixelData"),
        },
      );
    }
    if (uid === DEFLATED_IMAGE_FRAME_COMPRESSION) {
      // Each frame is its native bytes compressed with Deflate (RFC 1951).
      const inflated = new Uint8Array(inflateRawSync(bytes));
      const native =
        info.bitsAllocated === 1
          ? unpackBits(inflated, 0, info.rows * info.columns * info.samplesPerPixel)
          : nativeSamples(inflated, info, true);
      return toPresentationColour(ds, info, native, photometric);
    }
    const decoder = decoderFor(uid);
    if (decoder === undefined) {
      throw new DicomError("unsupported-transfer-syntax", `No decoder for ${ts.name} (${uid}) in ${ds.file}.`, {
        file: ds.file,
        tag: "(0002,0010) Transfer Syntax UID",
      });
    }
    const decoded = await decoder.decode(bytes, frameInfo(info));
    samples = decoded.samples;
    photometric = decoded.photometricInterpretation;
  }
  return toPresentationColour(ds, info, samples, photometric);
}

function tooShort(ds: DicomDataset, info: ImagePixelInfo, available: number, frameIndex: number): DicomError {
  return new DicomError(
    "pixel-module",
    `${ds.file} holds ${available} bytes of pixel data, too few for frame ${frameIndex + 1} of ${info.numberOfFrames} (${info.columns}x${info.rows}, ${info.bitsAllocated} bits allocated).`,
    {
      file: ds.file,
      tag: formatTag(info.pixelDataKeyword),
      hint: "The file is truncated or its Rows, Columns, Bits Allocated or Number of Frames are wrong.",
    },
  );
}

function frameInfo(info: ImagePixelInfo): FrameInfo {
  return {
    rows: info.rows,
    columns: info.columns,
    samplesPerPixel: info.samplesPerPixel,
    bitsAllocated: info.bitsAllocated,
    bitsStored: info.bitsStored,
    pixelRepresentation: info.pixelRepresentation,
    photometricInterpretation: info.photometricInterpretation,
    planarConfiguration: info.planarConfiguration,
  };
}

function toPresentationColour(
  ds: DicomDataset,
  info: ImagePixelInfo,
  samples: PixelSamples,
  photometric: string,
): PixelFrame {
  const base = { rows: info.rows, columns: info.columns };
  if (photometric === "PALETTE COLOR") {
    return { ...base, samplesPerPixel: 3, photometricInterpretation: "RGB", samples: paletteToRgb(ds, samples) };
  }
  if (info.samplesPerPixel === 3) {
    const rgb = photometric === "YBR_FULL" || photometric === "YBR_FULL_422" ? ybrFullToRgb(samples) : samples;
    return { ...base, samplesPerPixel: 3, photometricInterpretation: "RGB", samples: rgb };
  }
  return { ...base, samplesPerPixel: 1, photometricInterpretation: photometric, samples };
}
