import type { IndexBox } from "../image/crop";
import { RadiomicsError } from "../radiomics-error";
import { assertSameGrid, type Mask, type Volume } from "../image/volume";
import { convexHull } from "./convex-hull";
import { meshArea, meshVolume, surfaceMesh, type SurfaceMesh } from "./mesh";
import { maskBounds } from "./morphology-bounds";
import { maximumDistance } from "./mesh-diameters";
import { spatialAutocorrelation, type AutocorrelationMethod } from "./morphology-autocorrelation";
import { ellipsoidSurfaceArea } from "./morphology-ellipsoid";
import { minimumVolumeEnclosingEllipsoid } from "./morphology-mvee";
import { principalComponents } from "./morphology-pca";

/** Options of {@link morphologyFeatures}. */
export interface MorphologyOptions {
  /**
   * How Moran's I and Geary's C are computed. Default `{ kind: "exact" }` (O(N²) in ROI voxels);
   * IBSI's subsampling approximation is used only when asked for.
   */
  readonly autocorrelation?: AutocorrelationMethod;
}

/** The IBSI morphology tags {@link morphologyFeatures} returns, in IBSI's order. */
export const MORPHOLOGY_TAGS: readonly string[] = Object.freeze([
  "morph_volume",
  "morph_vol_approx",
  "morph_area_mesh",
  "morph_av",
  "morph_comp_1",
  "morph_comp_2",
  "morph_sph_dispr",
  "morph_sphericity",
  "morph_asphericity",
  "morph_com",
  "morph_diam",
  "morph_pca_maj_axis",
  "morph_pca_min_axis",
  "morph_pca_least_axis",
  "morph_pca_elongation",
  "morph_pca_flatness",
  "morph_vol_dens_aabb",
  "morph_area_dens_aabb",
  "morph_vol_dens_aee",
  "morph_area_dens_aee",
  "morph_vol_dens_mvee",
  "morph_area_dens_mvee",
  "morph_vol_dens_conv_hull",
  "morph_area_dens_conv_hull",
  "morph_integ_int",
  "morph_moran_i",
  "morph_geary_c",
]);

/** The mask's bounding box, or an `empty-roi` error that names which of the two masks is empty. */
function boundsOf(mask: Mask, which: "morphological" | "intensity"): IndexBox {
  try {
    return maskBounds(mask);
  } catch (cause) {
    throw new RadiomicsError("empty-roi", `The ${which} mask holds no voxel, so there is no morphology to describe`, {
      ...(mask.source === undefined ? {} : { file: mask.source }),
      path: `${which}Mask`,
      hint: "Check the label value used to build the mask and any re-segmentation range that emptied it.",
      cause,
    });
  }
}

/**
 * IBSI morphological features (IBSI 1, section 3.1) of an ROI, keyed by IBSI tag (see
 * {@link MORPHOLOGY_TAGS}).
 *
 * Definitions, in mm along the grid axes (the direction matrix is a rotation; the axis-aligned
 * bounding box is aligned with the grid axes):
 *
 * - Mesh (`morph_volume`, `morph_area_mesh`, ratios, densities, `morph_diam`): the marching-cubes
 *   mesh of the morphological mask, {@link surfaceMesh}; `morph_diam` is the largest distance
 *   between mesh vertices, found among the vertices of the mesh's convex hull.
 * - `morph_vol_approx`: voxel count × voxel volume of the morphological mask.
 * - `morph_com`: distance between the morphological mask's voxel-centre centroid and the
 *   intensity-weighted centroid of the intensity mask (`NaN` if the intensities sum to 0).
 * - PCA (`morph_pca_*`, AEE densities): eigenvalues of the sample covariance (N − 1) of the
 *   morphological mask's voxel centres, {@link principalComponents}; semi-axes 2√λ.
 * - `morph_area_dens_aee` and `morph_area_dens_mvee`: ellipsoid area by IBSI's Legendre series
 *   to ν = 20, {@link ellipsoidSurfaceArea}.
 * - `morph_vol_dens_mvee`, `morph_area_dens_mvee` (not standardised; IBSI-1 gives no reference
 *   value): Khachiyan's approximation with IBSI's tolerance 0.001 on the convex hull vertices.
 * - `morph_integ_int`: mesh volume × mean intensity of the intensity mask.
 * - `morph_moran_i`, `morph_geary_c`: over the intensity mask, weights 1/distance; exact by
 *   default, O(N²) in its voxel count (about 1 ns per voxel pair), see
 *   {@link spatialAutocorrelation}.
 *
 * The oriented minimum bounding box features (`morph_vol_dens_ombb`, `morph_area_dens_ombb`) are
 * not computed: IBSI-1 publishes no reference value and only heuristic approximations of the
 * exact (O'Rourke) box are practical, whose values depend on the heuristic.
 *
 * @param image - Intensities on the masks' grid.
 * @param morphologicalMask - The ROI whose shape is described.
 * @param intensityMask - The ROI whose intensities are used (after re-segmentation); may equal
 *   the morphological mask.
 * @param options - See {@link MorphologyOptions}.
 * @throws {@link RadiomicsError} `geometry` when a mask is not on the image's grid, `empty-roi`
 *   when a mask is empty, `settings` for an invalid subsampling method.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNifti } from "@radlab/kernel";
 * const image = await readNifti("phantom.nii.gz");
 * const mask = maskFromLabel(await readNifti("mask.nii.gz"), 1);
 * const f = morphologyFeatures(image, mask, mask);
 * f.morph_volume; // 556.3 mm3 (IBSI: 556 ± 4)
 * ```
 */
export function morphologyFeatures(
  image: Volume,
  morphologicalMask: Mask,
  intensityMask: Mask,
  options: MorphologyOptions = {},
): Record<string, number> {
  assertSameGrid(image, morphologicalMask);
  assertSameGrid(image, intensityMask);
  const mb = boundsOf(morphologicalMask, "morphological");
  const ib = boundsOf(intensityMask, "intensity");
  const autocorrelationMethod = options.autocorrelation ?? { kind: "exact" };

  const [sx, sy, sz] = morphologicalMask.spacing;
  const mesh = surfaceMesh(morphologicalMask);
  const V = meshVolume(mesh);
  const A = meshArea(mesh);

  // Centres of mass (mm along the grid axes), over the union of the two masks' boxes.
  const [nx, ny] = image.dims;
  let nMorph = 0;
  let gx = 0;
  let gy = 0;
  let gz = 0;
  let wx = 0;
  let wy = 0;
  let wz = 0;
  let wsum = 0;
  let nInt = 0;
  const lo = [0, 1, 2].map((d) => Math.min(mb.min[d]!, ib.min[d]!));
  const hi = [0, 1, 2].map((d) => Math.max(mb.max[d]!, ib.max[d]!));
  for (let k = lo[2]!; k <= hi[2]!; k++) {
    for (let j = lo[1]!; j <= hi[1]!; j++) {
      let s = lo[0]! + nx * (j + ny * k);
      for (let i = lo[0]!; i <= hi[0]!; i++, s++) {
        if (morphologicalMask.data[s] !== 0) {
          nMorph++;
          gx += i;
          gy += j;
          gz += k;
        }
        if (intensityMask.data[s] !== 0) {
          const v = image.data[s]!;
          wx += v * i;
          wy += v * j;
          wz += v * k;
          wsum += v;
          nInt++;
        }
      }
    }
  }
  const com = Math.hypot(
    (gx / nMorph - wx / wsum) * sx,
    (gy / nMorph - wy / wsum) * sy,
    (gz / nMorph - wz / wsum) * sz,
  );

  const hull = convexHull(mesh.lattice);
  const hullMesh: SurfaceMesh = { ...mesh, triangles: hull.triangles };
  const vHull = meshVolume(hullMesh);
  const aHull = meshArea(hullMesh);
  const diameter = maximumDistance(mesh.vertices, hull.vertexIndices);

  const pca = principalComponents(morphologicalMask, "sample");
  const [a, b, c] = [2 * Math.sqrt(pca.major), 2 * Math.sqrt(pca.minor), 2 * Math.sqrt(pca.least)];

  // Axis-aligned bounding box of the mesh vertices: the voxel box grown by half a voxel each side.
  const ex = (mb.max[0] - mb.min[0] + 1) * sx;
  const ey = (mb.max[1] - mb.min[1] + 1) * sy;
  const ez = (mb.max[2] - mb.min[2] + 1) * sz;

  const mvee = minimumVolumeEnclosingEllipsoid(mesh.vertices, hull.vertexIndices);
  const { moranI, gearyC } = spatialAutocorrelation(image, intensityMask, autocorrelationMethod);

  const sphere = Math.cbrt(36 * Math.PI * V * V); // area of the sphere of volume V
  return {
    morph_volume: V,
    morph_vol_approx: nMorph * sx * sy * sz,
    morph_area_mesh: A,
    morph_av: A / V,
    morph_comp_1: V / (Math.sqrt(Math.PI) * A ** 1.5),
    morph_comp_2: (36 * Math.PI * V * V) / A ** 3,
    morph_sph_dispr: A / sphere,
    morph_sphericity: sphere / A,
    morph_asphericity: A / sphere - 1,
    morph_com: com,
    morph_diam: diameter,
    morph_pca_maj_axis: 2 * a,
    morph_pca_min_axis: 2 * b,
    morph_pca_least_axis: 2 * c,
    morph_pca_elongation: Math.sqrt(pca.minor / pca.major),
    morph_pca_flatness: Math.sqrt(pca.least / pca.major),
    morph_vol_dens_aabb: V / (ex * ey * ez),
    morph_area_dens_aabb: A / (2 * (ex * ey + ey * ez + ez * ex)),
    morph_vol_dens_aee: (3 * V) / (4 * Math.PI * a * b * c),
    morph_area_dens_aee: A / ellipsoidSurfaceArea(a, b, c),
    morph_vol_dens_mvee: (3 * V) / (4 * Math.PI * mvee.a * mvee.b * mvee.c),
    morph_area_dens_mvee: A / ellipsoidSurfaceArea(mvee.a, mvee.b, mvee.c),
    morph_vol_dens_conv_hull: V / vHull,
    morph_area_dens_conv_hull: A / aHull,
    morph_integ_int: V * (wsum / nInt),
    morph_moran_i: moranI,
    morph_geary_c: gearyC,
  };
}
