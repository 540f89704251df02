import { boxOfIndices } from "../image/crop";
import { assertSameGrid, type Mask, type Volume } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { roiVoxelIndices } from "./roi-intensities";

/** The radius of a 1 cm^3 sphere in millimetres, (3 / (4 pi))^(1/3) cm (about 6.2 mm; IBSI 3.2). */
export const LOCAL_INTENSITY_RADIUS_MM = Math.cbrt(3 / (4 * Math.PI)) * 10;

/** One row of the sphere: offsets (dj, dk) and the largest |di| whose voxel centre is within the radius. */
interface SphereRow {
  readonly dj: number;
  readonly dk: number;
  readonly halfWidth: number;
}

function sphereRows(spacing: readonly [number, number, number], radius: number): SphereRow[] {
  const [sx, sy, sz] = spacing;
  const r2 = radius * radius;
  const ej = Math.floor(radius / sy);
  const ek = Math.floor(radius / sz);
  const rows: SphereRow[] = [];
  for (let dk = -ek; dk <= ek; dk++) {
    for (let dj = -ej; dj <= ej; dj++) {
      const rest = (dj * sy) ** 2 + (dk * sz) ** 2;
      if (rest > r2) continue;
      // Decide membership with the same squared-distance test for every voxel, not a rounded sqrt.
      let w = Math.floor(Math.sqrt(r2 - rest) / sx);
      while (((w + 1) * sx) ** 2 + rest <= r2) w++;
      while (w > 0 && (w * sx) ** 2 + rest > r2) w--;
      rows.push({ dj, dk, halfWidth: w });
    }
  }
  return rows;
}

/**
 * IBSI local intensity features (IBSI 1, section 3.2, family 9ST6), computed in 3D:
 * - `loc_peak_loc` (local intensity peak, VJGA): the mean intensity of the voxels whose centres lie
 *   within {@link LOCAL_INTENSITY_RADIUS_MM} (a 1 cm^3 sphere) of the centre of the ROI's
 *   maximum-intensity voxel, that voxel included; when several voxels share the maximum, the
 *   highest of their means;
 * - `loc_peak_glob` (global intensity peak, 0F91): the highest such mean over every ROI voxel.
 *
 * Only ROI voxels are centres, but a neighbourhood takes every image voxel within the radius,
 * inside the ROI or not; it stops at the image border (no padding), so near the border the mean
 * is over fewer voxels. Distances are Euclidean in millimetres from the voxel spacing (the
 * direction cosines rotate the grid without changing distances).
 *
 * Each neighbourhood is summed row by row from prefix sums along i over the ROI bounding box grown
 * by the radius, so the cost is (ROI voxels) x (rows in the sphere), not x (voxels in the sphere).
 *
 * @param image - The image; intensities outside the ROI are used too.
 * @param intensityMask - The ROI intensity mask on the image grid.
 * @returns `loc_peak_loc` and `loc_peak_glob`.
 * @throws {@link RadiomicsError} `geometry` (image and mask grids differ), `empty-roi` (no voxel in
 *   the mask), `input` (a non-finite intensity within reach of the ROI).
 *
 * @example
 * ```ts
 * import { localIntensityFeatures, maskFromLabel, readNifti } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/image/phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/mask/mask.nii.gz"));
 * localIntensityFeatures(image, mask); // { loc_peak_loc: 2.6, loc_peak_glob: 3.1 } (rounded)
 * ```
 */
export function localIntensityFeatures(image: Volume, intensityMask: Mask): Record<string, number> {
  assertSameGrid(image, intensityMask);
  const [nx, ny, nz] = image.dims;
  const data = image.data;

  // ROI bounding box and maximum intensity.
  const roi = roiVoxelIndices(intensityMask);
  const plane = nx * ny;
  const {
    min: [i0, j0, k0],
    max: [i1, j1, k1],
  } = boxOfIndices(roi, image.dims)!;
  let maxIntensity = -Infinity;
  for (let m = 0; m < roi.length; m++) {
    const v = data[roi[m]!]!;
    if (v > maxIntensity) maxIntensity = v;
  }

  const radius = LOCAL_INTENSITY_RADIUS_MM;
  const rows = sphereRows(image.spacing, radius);
  const ei = Math.floor(radius / image.spacing[0]);
  const ej = Math.floor(radius / image.spacing[1]);
  const ek = Math.floor(radius / image.spacing[2]);
  // Every voxel a neighbourhood can reach lies in the bounding box grown by the radius, clipped to the image.
  const ci0 = Math.max(0, i0 - ei);
  const ci1 = Math.min(nx - 1, i1 + ei);
  const cj0 = Math.max(0, j0 - ej);
  const cj1 = Math.min(ny - 1, j1 + ej);
  const ck0 = Math.max(0, k0 - ek);
  const ck1 = Math.min(nz - 1, k1 + ek);
  const cnx = ci1 - ci0 + 1;
  const cny = cj1 - cj0 + 1;
  const stride = cnx + 1;

  // prefix[(row) * stride + t] = sum of the first t intensities of row (j, k) from i = ci0.
  const prefix = new Float64Array(stride * cny * (ck1 - ck0 + 1));
  for (let k = ck0; k <= ck1; k++) {
    for (let j = cj0; j <= cj1; j++) {
      const base = ((k - ck0) * cny + (j - cj0)) * stride;
      let n = ci0 + nx * (j + ny * k);
      let sum = 0;
      for (let t = 0; t < cnx; t++, n++) {
        const v = data[n]!;
        if (!Number.isFinite(v)) {
          throw new RadiomicsError(
            "input",
            `Voxel (${ci0 + t}, ${j}, ${k}) near the ROI holds ${v}, which is not a finite intensity`,
            {
              ...(image.source === undefined ? {} : { file: image.source }),
              path: `data[${n}]`,
              hint: "Local intensity averages every voxel within 6.2 mm of the ROI: replace missing values (NaN) first.",
            },
          );
        }
        sum += v;
        prefix[base + t + 1] = sum;
      }
    }
  }

  let peakLocal = -Infinity;
  let peakGlobal = -Infinity;
  for (let m = 0; m < roi.length; m++) {
    const n = roi[m]!;
    const k = Math.floor(n / plane);
    const j = Math.floor((n - k * plane) / nx);
    const i = n - k * plane - j * nx;
    let sum = 0;
    let count = 0;
    for (const row of rows) {
      const jj = j + row.dj;
      const kk = k + row.dk;
      if (jj < 0 || jj >= ny || kk < 0 || kk >= nz) continue;
      const lo = Math.max(0, i - row.halfWidth);
      const hi = Math.min(nx - 1, i + row.halfWidth);
      const base = ((kk - ck0) * cny + (jj - cj0)) * stride - ci0;
      sum += prefix[base + hi + 1]! - prefix[base + lo]!;
      count += hi - lo + 1;
    }
    const mean = sum / count;
    if (mean > peakGlobal) peakGlobal = mean;
    if (data[n] === maxIntensity && mean > peakLocal) peakLocal = mean;
  }
  return { loc_peak_loc: peakLocal, loc_peak_glob: peakGlobal };
}
