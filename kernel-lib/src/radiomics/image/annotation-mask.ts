import type { Annotation } from "../../curation/annotation";
import { RadiomicsError } from "../radiomics-error";
import { fillPolygons } from "./polygon-fill";
import { gridOf, type Mask, type VoxelGrid } from "./volume";

/** Options of {@link annotationMask}. */
export interface AnnotationMaskOptions {
  /**
   * The slice `k` of `image` the annotation was drawn on. Required when the grid has more than one
   * slice (a curation annotation names an instance and frame, not a slice of a volume: find the
   * slice in `readDicomSeries`' `slices`); optional, and then 0, for a one-slice grid.
   */
  readonly slice?: number;
}

/**
 * Turns a curation annotation (a box, polygon or mask on one frame, in the pixel coordinates of the
 * image: origin at the top-left corner of the top-left pixel, x to the right, y down) into a radiomics
 * {@link Mask} on an image grid: a 2D image (a one-slice grid) or one slice of a volume, with column
 * `x` along `i` and row `y` along `j`. A pixel is in when its centre `(c + 0.5, r + 0.5)` is inside
 * the box or polygon (centres on an edge follow the half-open rule of `fillPolygons`: a box at `x`
 * of width `w` covers columns `x` to `x + w - 1` when `x` and `w` are whole); a mask is copied
 * (non-zero is in). Polygons and boxes reaching beyond the image are clipped.
 *
 * @param annotation - The annotation, as curation stores it.
 * @param image - The grid of the annotated image; its slices are `columns x rows` of the annotated frame.
 * @param options - Which slice of a volume the annotation lies on.
 * @returns A new mask, empty except on that slice.
 * @throws {@link RadiomicsError} `settings` when the slice is missing (for a grid of several slices)
 *   or out of range; `geometry` when a mask annotation's size differs from the slice's; `input` for
 *   a polygon of fewer than three points or a box that is not finite; `empty-roi` when no pixel
 *   centre is inside.
 * @example
 * ```ts
 * import { annotationMask, IDENTITY_DIRECTION } from "@radlab/kernel";
 * const grid = { dims: [8, 8, 1], spacing: [0.5, 0.5, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION } as const;
 * const box = { sha256: "…", labelSet: "nodules", label: "nodule", frame: 0, geometry: { kind: "box", x: 2, y: 2, width: 3, height: 2 } } as const;
 * annotationMask(box, grid).data.reduce((n, v) => n + v, 0); // 6
 * ```
 */
export function annotationMask(annotation: Annotation, image: VoxelGrid, options: AnnotationMaskOptions = {}): Mask {
  const [columns, rows, slices] = image.dims;
  const where = `the ${annotation.geometry.kind} annotation "${annotation.label}" (${annotation.labelSet}, frame ${annotation.frame})`;
  const slice = options.slice ?? (slices === 1 ? 0 : undefined);
  if (slice === undefined) {
    throw new RadiomicsError("settings", `The image grid has ${slices} slices; say which one ${where} lies on`, {
      path: "options.slice",
      hint: "Pass options.slice: the k of the annotated instance and frame, which readDicomSeries lists in slices.",
    });
  }
  if (!Number.isInteger(slice) || slice < 0 || slice >= slices) {
    throw new RadiomicsError(
      "settings",
      `Slice ${slice} is not a slice of the image grid (k from 0 to ${slices - 1})`,
      {
        path: "options.slice",
        hint: `Pass a whole number from 0 to ${slices - 1}.`,
      },
    );
  }
  const size = columns * rows;
  const data = new Uint8Array(size * slices);
  const target = data.subarray(slice * size, (slice + 1) * size);
  const geometry = annotation.geometry;
  switch (geometry.kind) {
    case "mask": {
      const m = geometry.mask;
      if (m.columns !== columns || m.rows !== rows || m.data.length !== size) {
        throw new RadiomicsError(
          "geometry",
          `${capitalise(where)} is ${m.columns} x ${m.rows} pixels (${m.data.length} values), the image slices ${columns} x ${rows}`,
          {
            path: "geometry.mask",
            hint: "Use the grid of the image the annotation was drawn on.",
          },
        );
      }
      for (let p = 0; p < size; p++) target[p] = m.data[p] === 0 ? 0 : 1;
      break;
    }
    case "box": {
      const { x, y, width, height } = geometry;
      if (![x, y, width, height].every(Number.isFinite) || width < 0 || height < 0) {
        throw new RadiomicsError("input", `${capitalise(where)} is not a box: ${x}, ${y}, ${width} x ${height}`, {
          path: "geometry",
          hint: "A box needs finite x, y and a non-negative width and height in pixels.",
        });
      }
      // Pixel-corner coordinates to pixel-centre indices: shift by half a pixel.
      const [x0, y0, x1, y1] = [x - 0.5, y - 0.5, x + width - 0.5, y + height - 0.5];
      target.set(fillPolygons([[x0, y0, x1, y0, x1, y1, x0, y1]], columns, rows));
      break;
    }
    case "polygon": {
      const points = geometry.points;
      if (points.length < 3 || points.some(([px, py]) => !Number.isFinite(px) || !Number.isFinite(py))) {
        throw new RadiomicsError(
          "input",
          `${capitalise(where)} has ${points.length} point(s)${points.length >= 3 ? ", not all finite" : ""}; a polygon needs at least three finite points`,
          { path: "geometry.points", hint: "Redraw the polygon." },
        );
      }
      const flat = new Float64Array(2 * points.length);
      points.forEach(([px, py], n) => {
        flat[2 * n] = px - 0.5;
        flat[2 * n + 1] = py - 0.5;
      });
      target.set(fillPolygons([flat], columns, rows));
      break;
    }
  }
  let count = 0;
  for (let p = 0; p < size; p++) count += target[p]!;
  if (count === 0) {
    throw new RadiomicsError("empty-roi", `No pixel centre of the image lies inside ${where}`, {
      path: "geometry",
      hint: "The region is smaller than a pixel or lies outside the image; check it against the image it was drawn on.",
    });
  }
  return {
    ...gridOf(image),
    data,
    source: `annotation ${annotation.sha256} frame ${annotation.frame}`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
