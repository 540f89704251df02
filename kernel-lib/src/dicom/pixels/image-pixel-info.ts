import type { DicomDataset } from "../dataset";
import { DicomError } from "../dicom-errors";
import { formatTag } from "../tag";

/** The Image Pixel module of a dataset (PS3.3 C.7.6.3), checked for consistency. */
export interface ImagePixelInfo {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly highBit: number;
  readonly pixelRepresentation: 0 | 1;
  readonly photometricInterpretation: string;
  readonly planarConfiguration: 0 | 1;
  readonly numberOfFrames: number;
  /** Which element holds the pixels: (7FE0,0010) Pixel Data, (7FE0,0008) Float or (7FE0,0009) Double Float Pixel Data. */
  readonly pixelDataKeyword: "PixelData" | "FloatPixelData" | "DoubleFloatPixelData";
}

/**
 * Reads and checks the Image Pixel module.
 *
 * @throws {@link DicomError} `no-pixel-data` when the dataset holds no pixel data element, and
 *   `pixel-module` when a required attribute is missing or inconsistent (naming the tag).
 */
export function imagePixelInfo(ds: DicomDataset): ImagePixelInfo {
  const pixelDataKeyword = ds.has("PixelData")
    ? "PixelData"
    : ds.has("FloatPixelData")
      ? "FloatPixelData"
      : ds.has("DoubleFloatPixelData")
        ? "DoubleFloatPixelData"
        : null;
  if (pixelDataKeyword === null) {
    throw new DicomError(
      "no-pixel-data",
      `${ds.file} has no pixel data (7FE0,0010): it is not an image (${ds.string("Modality") ?? "no modality"}).`,
      {
        file: ds.file,
        tag: formatTag("PixelData"),
        hint: ds.source.headerOnly
          ? "It was read with headerOnly: read it again without that option."
          : "Only image objects can be decoded.",
      },
    );
  }
  const required = (keyword: "Rows" | "Columns" | "BitsAllocated") => {
    const value = ds.number(keyword);
    if (value === undefined || !Number.isInteger(value) || value <= 0) {
      throw new DicomError(
        "pixel-module",
        `${formatTag(keyword)} is missing or invalid in ${ds.file} (${String(value)}).`,
        {
          file: ds.file,
          tag: formatTag(keyword),
          hint: "The Image Pixel module (PS3.3 C.7.6.3) is incomplete; the pixels cannot be laid out.",
        },
      );
    }
    return value;
  };
  const rows = required("Rows");
  const columns = required("Columns");
  const bitsAllocated =
    pixelDataKeyword === "FloatPixelData"
      ? 32
      : pixelDataKeyword === "DoubleFloatPixelData"
        ? 64
        : required("BitsAllocated");
  const bitsStored = ds.number("BitsStored") ?? bitsAllocated;
  const samplesPerPixel = ds.number("SamplesPerPixel") ?? 1;
  const photometricInterpretation = (
    ds.string("PhotometricInterpretation") ?? (samplesPerPixel === 3 ? "RGB" : "MONOCHROME2")
  ).trim();
  if (bitsStored > bitsAllocated) {
    throw new DicomError(
      "pixel-module",
      `${formatTag("BitsStored")} ${bitsStored} exceeds ${formatTag("BitsAllocated")} ${bitsAllocated} in ${ds.file}.`,
      {
        file: ds.file,
        tag: formatTag("BitsStored"),
      },
    );
  }
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new DicomError(
      "pixel-module",
      `${formatTag("SamplesPerPixel")} is ${samplesPerPixel} in ${ds.file}; radlab decodes 1 or 3.`,
      {
        file: ds.file,
        tag: formatTag("SamplesPerPixel"),
      },
    );
  }
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit: ds.number("HighBit") ?? bitsStored - 1,
    pixelRepresentation: ds.number("PixelRepresentation") === 1 ? 1 : 0,
    photometricInterpretation,
    planarConfiguration: ds.number("PlanarConfiguration") === 1 ? 1 : 0,
    numberOfFrames: Math.max(1, Math.trunc(ds.number("NumberOfFrames") ?? 1)),
    pixelDataKeyword,
  };
}
