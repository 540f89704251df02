import type * as dcmjs from "dcmjs";
import { createHash } from "node:crypto";
import { PNG } from "pngjs";
import { DicomDataset } from "../dicom/dataset";
import { DicomError } from "../dicom/dicom-errors";
import { EXPLICIT_VR_LITTLE_ENDIAN } from "../dicom/transfer-syntax";

/** What a wrapped image carries besides its pixels. */
export interface WrappedImageInfo {
  /** The (already de-identified) patient ID the source assigned. */
  readonly patientId: string;
  /** A key that identifies the study within the patient (for the NIH set: the follow-up number). */
  readonly studyKey: string;
  /** A key that identifies the image, used to derive stable UIDs (for example the file name). */
  readonly imageKey: string;
  /** Where the data comes from, written to (0012,0063) De-identification Method. */
  readonly source: string;
  /** (0008,0060) Modality, for example `DX` for chest radiographs. */
  readonly modality: string;
  /** (0018,5101) View Position, for example `PA`. */
  readonly viewPosition?: string;
  /** Text for (0020,4000) Image Comments (for example the source's finding labels). */
  readonly comments?: string;
}

/** A stable UID under the 2.25 root (PS3.5 B.2) from a keyed hash: the same input, the same UID. */
export function uidFor(...parts: readonly string[]): string {
  const digest = createHash("sha256")
    .update(`radlab\u0000${parts.join("\u0000")}`)
    .digest("hex");
  return `2.25.${BigInt(`0x${digest.slice(0, 32)}`).toString()}`;
}

/**
 * Wraps a PNG as a DICOM Secondary Capture image (8-bit MONOCHROME2 when grey, RGB otherwise) with
 * stable UIDs derived from the patient, study and image keys, marked as de-identified at its source.
 *
 * @throws {@link DicomError} `not-dicom` when the bytes are not a PNG.
 */
export function wrapPng(png: Uint8Array, info: WrappedImageInfo, file = "(memory)"): DicomDataset {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  } catch (error) {
    throw new DicomError(
      "not-dicom",
      `${file} is not a readable PNG: ${error instanceof Error ? error.message : String(error)}.`,
      {
        file,
        cause: error,
      },
    );
  }
  const pixels = image.width * image.height;
  let grey = true;
  for (let i = 0; i < pixels && grey; i++) {
    const r = image.data[4 * i];
    grey = r === image.data[4 * i + 1] && r === image.data[4 * i + 2];
  }
  const samples = new Uint8Array(pixels * (grey ? 1 : 3));
  for (let i = 0; i < pixels; i++) {
    if (grey) samples[i] = image.data[4 * i] ?? 0;
    else samples.set([image.data[4 * i] ?? 0, image.data[4 * i + 1] ?? 0, image.data[4 * i + 2] ?? 0], 3 * i);
  }
  const sopInstanceUid = uidFor("instance", info.patientId, info.studyKey, info.imageKey);
  const el = (vr: string, ...values: unknown[]) => ({ vr, Value: values });
  const meta: dcmjs.DcmjsDict = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    "00020002": el("UI", "1.2.840.10008.5.1.4.1.1.7"),
    "00020003": el("UI", sopInstanceUid),
    "00020010": el("UI", EXPLICIT_VR_LITTLE_ENDIAN),
    "00020012": el("UI", "2.25.1234567890123456789"),
  };
  const dict: dcmjs.DcmjsDict = {
    "00080016": el("UI", "1.2.840.10008.5.1.4.1.1.7"),
    "00080018": el("UI", sopInstanceUid),
    "00080060": el("CS", info.modality),
    "00080064": el("CS", "WSD"),
    "00100020": el("LO", info.patientId),
    "00120062": el("CS", "YES"),
    "00120063": el("LO", `De-identified at source: ${info.source}`.slice(0, 64)),
    "0020000D": el("UI", uidFor("study", info.patientId, info.studyKey)),
    "0020000E": el("UI", uidFor("series", info.patientId, info.studyKey)),
    "00200013": el("IS", 1),
    "00280002": el("US", grey ? 1 : 3),
    "00280004": el("CS", grey ? "MONOCHROME2" : "RGB"),
    "00280010": el("US", image.height),
    "00280011": el("US", image.width),
    "00280100": el("US", 8),
    "00280101": el("US", 8),
    "00280102": el("US", 7),
    "00280103": el("US", 0),
    "7FE00010": { vr: "OB", Value: [samples.buffer] },
  };
  if (!grey) dict["00280006"] = el("US", 0);
  if (info.viewPosition !== undefined) dict["00185101"] = el("CS", info.viewPosition);
  if (info.comments !== undefined) dict["00204000"] = el("LT", info.comments);
  return new DicomDataset({ meta, dict }, { file, repairs: [], headerOnly: false });
}
