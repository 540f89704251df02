import type { DicomDataset } from "../dicom/dataset";
import type { Keyword } from "../dicom/dictionary/attributes.generated";
import { decodeFrame } from "../dicom/pixels/decode-frame";
import { imagePixelInfo } from "../dicom/pixels/image-pixel-info";
import { encodePng, renderFrame, type WindowChoice } from "../dicom/pixels/render";
import { transferSyntax } from "../dicom/transfer-syntax";
import { formatTag } from "../dicom/tag";
import { readDicomFile } from "../dicom/read";
import { escapeHtml } from "./html";
import { DisplayableValue, type MimeBundle } from "./mime-bundle";

/**
 * Header fields shown beside an image by default: technical ones only. Names, IDs and dates are
 * left out so that a notebook never shows identifying data by default; pass `fields` to choose.
 */
export const DEFAULT_IMAGE_FIELDS: readonly Keyword[] = Object.freeze([
  "Modality",
  "Manufacturer",
  "ManufacturerModelName",
  "BodyPartExamined",
  "PhotometricInterpretation",
  "PixelSpacing",
  "SliceThickness",
  "RescaleSlope",
  "RescaleIntercept",
]);

/** Options of {@link dicomImage}. */
export interface DicomImageOptions {
  /** 0-based frame (default 0). */
  readonly frame?: number;
  /** The window: a CT preset name (`lung`, `bone`...), explicit values, `file` (default) or `auto`. */
  readonly window?: WindowChoice;
  /** Header fields to list (default {@link DEFAULT_IMAGE_FIELDS}). */
  readonly fields?: readonly Keyword[];
}

/** A DICOM frame rendered as PNG with a few header fields; show it with `display()`. */
export class DicomImageView extends DisplayableValue {
  constructor(
    readonly png: Uint8Array,
    readonly caption: string,
    readonly fields: readonly { readonly name: string; readonly value: string }[],
    readonly width: number,
    readonly height: number,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const base64 = Buffer.from(this.png).toString("base64");
    const rows = this.fields
      .map((f) => `<tr><th style="text-align:left">${escapeHtml(f.name)}</th><td>${escapeHtml(f.value)}</td></tr>`)
      .join("");
    const html =
      `<figure class="radlab-dicom-image" style="display:flex;gap:12px;align-items:flex-start;margin:0">` +
      `<img src="data:image/png;base64,${base64}" width="${this.width}" height="${this.height}" alt="${escapeHtml(this.caption)}" style="image-rendering:pixelated;max-width:512px;height:auto"/>` +
      `<figcaption><strong>${escapeHtml(this.caption)}</strong><table>${rows}</table></figcaption></figure>`;
    const text = [this.caption, ...this.fields.map((f) => `  ${f.name}: ${f.value}`)].join("\n");
    return {
      data: { "image/png": base64, "text/html": html, "text/plain": text },
      metadata: { "image/png": { width: this.width, height: this.height } },
    };
  }
}

/**
 * Renders one frame of a DICOM instance for the notebook: the image with its window applied
 * (modality LUT and VOI, PS3.3 C.11) and a short header table.
 *
 * @param input - a dataset or a file path.
 * @throws {@link DicomError} from reading or decoding, naming the file and tag.
 * @example
 * ```ts
 * import { dicomImage, display } from "@radlab/kernel";
 * display(await dicomImage("../../shared/data/dicom/pydicom/test_files/CT_small.dcm", { window: "abdomen" }));
 * ```
 */
export async function dicomImage(
  input: DicomDataset | string,
  options: DicomImageOptions = {},
): Promise<DicomImageView> {
  const ds = typeof input === "string" ? readDicomFile(input) : input;
  const info = imagePixelInfo(ds);
  const frameIndex = options.frame ?? 0;
  const frame = await decodeFrame(ds, frameIndex);
  const image = renderFrame(ds, frame, options.window ?? "file");
  const fields = (options.fields ?? DEFAULT_IMAGE_FIELDS)
    .filter((k) => ds.has(k))
    .map((k) => ({ name: formatTag(k).replace(/^\([0-9A-F,]+\) /, ""), value: describeValue(ds, k) }));
  const window =
    image.window === null
      ? "colour"
      : `window ${round(image.window.center)}/${round(image.window.width)} (${image.window.label})`;
  const frames = info.numberOfFrames > 1 ? `, frame ${frameIndex + 1} of ${info.numberOfFrames}` : "";
  const name = ds.file.split(/[\\/]/).pop() ?? ds.file;
  const caption = `${name}: ${info.columns}x${info.rows}${frames}, ${transferSyntax(ds.transferSyntaxUid)?.name ?? ds.transferSyntaxUid}, ${window}`;
  return new DicomImageView(encodePng(image), caption, fields, image.width, image.height);
}

function describeValue(ds: DicomDataset, keyword: Keyword): string {
  const element = ds.element(keyword);
  if (element === undefined) return "";
  return element.values
    .map((v) =>
      typeof v === "number"
        ? String(round(v))
        : typeof v === "string"
          ? v
          : v instanceof Uint8Array
            ? `${v.byteLength} bytes`
            : "…",
    )
    .join(" \\ ");
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
