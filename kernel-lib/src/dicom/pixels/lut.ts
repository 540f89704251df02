import type { DicomDataset } from "../dataset";
import { DicomError } from "../dicom-errors";
import type { PixelFrame } from "./pixel-frame";

/** A VOI window (PS3.3 C.11.2.1.2): centre and width in modality units (for CT, Hounsfield units). */
export interface WindowLevel {
  readonly center: number;
  readonly width: number;
  /** Where it came from: a file preset's explanation, a standard preset name, or `auto`. */
  readonly label: string;
}

/** Standard CT windows (centre / width in HU), as radiology viewers name them. */
export const CT_WINDOW_PRESETS = Object.freeze({
  brain: { center: 40, width: 80, label: "brain" },
  subdural: { center: 75, width: 215, label: "subdural" },
  stroke: { center: 40, width: 40, label: "stroke" },
  lung: { center: -600, width: 1500, label: "lung" },
  mediastinum: { center: 50, width: 350, label: "mediastinum" },
  abdomen: { center: 40, width: 400, label: "abdomen" },
  liver: { center: 60, width: 160, label: "liver" },
  bone: { center: 400, width: 1800, label: "bone" },
} satisfies Record<string, WindowLevel>);

/** The name of a standard CT window preset. */
export type CtWindowPreset = keyof typeof CT_WINDOW_PRESETS;

/**
 * Applies the modality LUT (PS3.3 C.11.1): Rescale Slope and Intercept (0028,1053)/(0028,1052), or
 * the Modality LUT Sequence (0028,3000). For CT the result is in Hounsfield units.
 *
 * @returns One value per pixel (greyscale frames only).
 * @throws {@link DicomError} `pixel-module` for colour frames, which have no modality LUT.
 */
export function modalityValues(ds: DicomDataset, frame: PixelFrame): Float32Array {
  if (frame.samplesPerPixel !== 1) {
    throw new DicomError(
      "pixel-module",
      `${ds.file} is a colour image: modality values exist for greyscale images only.`,
      {
        file: ds.file,
      },
    );
  }
  const out = new Float32Array(frame.samples.length);
  const lut = ds.sequence("ModalityLUTSequence")[0];
  if (lut !== undefined && lut.has("LUTData")) {
    const table = lutTable(lut);
    for (let i = 0; i < out.length; i++) out[i] = table.lookup(frame.samples[i] ?? 0);
    return out;
  }
  const slope = ds.number("RescaleSlope") ?? 1;
  const intercept = ds.number("RescaleIntercept") ?? 0;
  for (let i = 0; i < out.length; i++) out[i] = (frame.samples[i] ?? 0) * slope + intercept;
  return out;
}

/** The windows the file suggests: (0028,1050) Window Center, (0028,1051) Window Width, (0028,1055) explanations. */
export function fileWindows(ds: DicomDataset): WindowLevel[] {
  const centers = ds.numbers("WindowCenter");
  const widths = ds.numbers("WindowWidth");
  const labels = ds.has("WindowCenterWidthExplanation") ? ds.strings("WindowCenterWidthExplanation") : [];
  return centers
    .map((center, i) => ({
      center,
      width: widths[i] ?? widths[0] ?? 0,
      label: labels[i]?.trim() || `file preset ${i + 1}`,
    }))
    .filter((w) => w.width >= 1);
}

/**
 * The VOI LUT of the file's (0028,3010) VOI LUT Sequence, first item, scaled to 0..255
 * (PS3.3 C.11.2.1.1), or `null` when the file has none.
 */
export function fileVoiLut(ds: DicomDataset): ((value: number) => number) | null {
  const item = ds.sequence("VOILUTSequence")[0];
  if (item === undefined || !item.has("LUTData")) return null;
  const bits = item.numbers("LUTDescriptor")[2] ?? 16;
  const table = lutTable(item);
  const scale = 255 / (2 ** bits - 1);
  return (value) => table.lookup(value) * scale;
}

/** A window spanning the 0.5th to 99.5th percentile of the values (robust to a few outliers). */
export function autoWindow(values: ArrayLike<number>): WindowLevel {
  const sorted = Float32Array.from(values).sort();
  const lo = sorted[Math.floor(0.005 * (sorted.length - 1))] ?? 0;
  const hi = sorted[Math.ceil(0.995 * (sorted.length - 1))] ?? 0;
  return { center: (lo + hi) / 2, width: Math.max(1, hi - lo), label: "auto" };
}

/**
 * Maps values through a linear VOI window to 0..255 (PS3.3 C.11.2.1.2.1, function LINEAR),
 * inverted for MONOCHROME1.
 */
export function applyWindow(values: ArrayLike<number>, window: WindowLevel, invert = false): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length);
  const c = window.center - 0.5;
  const w = Math.max(1, window.width - 1);
  const lo = c - w / 2;
  const hi = c + w / 2;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] ?? 0;
    const y = x <= lo ? 0 : x > hi ? 255 : ((x - c) / w + 0.5) * 255;
    out[i] = invert ? 255 - y : y;
  }
  return out;
}

interface LutTable {
  lookup(value: number): number;
}

/** A LUT from an item with LUT Descriptor (0028,3002) and LUT Data (0028,3006). */
function lutTable(item: DicomDataset): LutTable {
  const [entriesRaw = 0, first = 0] = item.numbers("LUTDescriptor");
  const entries = entriesRaw === 0 ? 65536 : entriesRaw;
  const element = item.element("LUTData");
  const values = element?.values ?? [];
  let table: number[];
  if (values.length === 1 && values[0] instanceof Uint8Array) {
    const bytes = values[0];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    table = Array.from({ length: Math.min(entries, bytes.byteLength >> 1) }, (_, i) => view.getUint16(2 * i, true));
  } else table = values.map(Number);
  return {
    lookup(value: number) {
      const i = Math.min(table.length - 1, Math.max(0, Math.round(value - first)));
      return table[i] ?? 0;
    },
  };
}
