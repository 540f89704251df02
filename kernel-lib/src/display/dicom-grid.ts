import type { DicomDataset } from "../dicom/dataset";
import { decodeFrame } from "../dicom/pixels/decode-frame";
import { imagePixelInfo } from "../dicom/pixels/image-pixel-info";
import { encodePng, renderFrame, type WindowChoice } from "../dicom/pixels/render";
import { readDicomFile } from "../dicom/read";
import { escapeHtml } from "./html";
import { DisplayableValue, type MimeBundle } from "./mime-bundle";

/** Options of {@link dicomGrid}. */
export interface DicomGridOptions {
  /** The window for greyscale images (default `file`: each file's first preset, else auto). */
  readonly window?: WindowChoice;
  /** Displayed width of each tile in CSS pixels (default 128). */
  readonly tileWidth?: number;
  /** The most tiles shown (default 64); the caption says how many there are. */
  readonly maxTiles?: number;
  /** Captions for the tiles of a list, in the order given (default: each instance's number). */
  readonly labels?: readonly string[];
}

/** A grid of rendered frames (a series, or the frames of a multi-frame instance), scrollable. */
export class DicomGrid extends DisplayableValue {
  constructor(
    readonly tiles: readonly { readonly png: Uint8Array; readonly label: string }[],
    readonly caption: string,
    readonly tileWidth: number,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const cells = this.tiles
      .map(
        (t) =>
          `<figure style="margin:2px;text-align:center"><img src="data:image/png;base64,${Buffer.from(t.png).toString("base64")}" ` +
          `style="width:${this.tileWidth}px;image-rendering:pixelated" alt="${escapeHtml(t.label)}"/>` +
          `<figcaption style="font-size:11px">${escapeHtml(t.label)}</figcaption></figure>`,
      )
      .join("");
    const html =
      `<div class="radlab-dicom-grid"><div><strong>${escapeHtml(this.caption)}</strong></div>` +
      `<div style="display:flex;flex-wrap:wrap;max-height:560px;overflow:auto">${cells}</div></div>`;
    return {
      data: { "text/html": html, "text/plain": `${this.caption}\n${this.tiles.map((t) => `  ${t.label}`).join("\n")}` },
    };
  }
}

/**
 * Shows several images at once until the interactive viewer lands: every frame of one multi-frame
 * instance, or the first frame of each instance of a series (sorted by Instance Number).
 *
 * @param input - one dataset or path (all its frames), or a list of them (one tile each).
 * @example
 * ```ts
 * import { dicomGrid, display } from "@radlab/kernel";
 * display(await dicomGrid("../../shared/data/dicom/pydicom/test_files/emri_small.dcm"));
 * ```
 */
export async function dicomGrid(
  input: DicomDataset | string | readonly (DicomDataset | string)[],
  options: DicomGridOptions = {},
): Promise<DicomGrid> {
  const maxTiles = options.maxTiles ?? 64;
  const load = (x: DicomDataset | string) => (typeof x === "string" ? readDicomFile(x) : x);
  const tiles: { png: Uint8Array; label: string }[] = [];
  let total: number;
  let caption: string;
  if (Array.isArray(input)) {
    const items = (input as readonly (DicomDataset | string)[]).map((x, i) => ({
      ds: load(x),
      label: options.labels?.[i],
    }));
    // A series is shown in instance order; captions given by the caller keep the caller's order.
    if (options.labels === undefined)
      items.sort((a, b) => (a.ds.number("InstanceNumber") ?? 0) - (b.ds.number("InstanceNumber") ?? 0));
    total = items.length;
    for (const { ds, label } of items.slice(0, maxTiles)) {
      const image = renderFrame(ds, await decodeFrame(ds, 0), options.window ?? "file");
      tiles.push({ png: encodePng(image), label: label ?? `#${ds.number("InstanceNumber") ?? "?"}` });
    }
    caption = `${total} instance(s)${total > maxTiles ? `, first ${maxTiles} shown` : ""}`;
  } else {
    const ds = load(input as DicomDataset | string);
    total = imagePixelInfo(ds).numberOfFrames;
    for (let f = 0; f < Math.min(total, maxTiles); f++) {
      const image = renderFrame(ds, await decodeFrame(ds, f), options.window ?? "file");
      tiles.push({ png: encodePng(image), label: `frame ${f + 1}` });
    }
    caption = `${ds.file.split(/[\\/]/).pop() ?? ds.file}: ${total} frame(s)${total > maxTiles ? `, first ${maxTiles} shown` : ""}`;
  }
  return new DicomGrid(tiles, caption, options.tileWidth ?? 128);
}
