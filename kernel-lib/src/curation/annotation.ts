/**
 * Region annotations on an instance: detection boxes, polygons and segmentation masks (ROIs), in
 * the pixel coordinates of the image (origin at the top-left corner of the top-left pixel, x to
 * the right, y down). Label Studio, DICOM SEG and radiomics all meet here.
 */

/** A binary mask over one frame: row-major, one byte per pixel, 1 inside and 0 outside. */
export interface Mask {
  readonly rows: number;
  readonly columns: number;
  readonly data: Uint8Array;
}

/** An axis-aligned box in pixels. */
export interface BoxGeometry {
  readonly kind: "box";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A closed polygon in pixels: at least three vertices, the last joined to the first. */
export interface PolygonGeometry {
  readonly kind: "polygon";
  readonly points: readonly (readonly [number, number])[];
}

/** A segmentation mask (an ROI) over one frame. */
export interface MaskGeometry {
  readonly kind: "mask";
  readonly mask: Mask;
}

/** Where an annotation lies on its image. */
export type Geometry = BoxGeometry | PolygonGeometry | MaskGeometry;

/** One region on one frame of one stored instance, with its class. */
export interface Annotation {
  /** The instance's content hash in the store. */
  readonly sha256: string;
  /** The label set (for example `nodules`) the annotation belongs to. */
  readonly labelSet: string;
  /** The class of the region (for example `nodule`). */
  readonly label: string;
  /** The frame, counted from 0 (0 for single-frame images). */
  readonly frame: number;
  readonly geometry: Geometry;
}
