import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDicomFile } from "../../dicom/read";
import { DICOM_DATA } from "../../dicom/test-support/corpus";
import { writeDicom } from "../../dicom/write";
import { RadiomicsError } from "../radiomics-error";
import { temporaryDirectories } from "../test-support/scratch";
import { rejected } from "../test-support/thrown";
import { readDicomSeries } from "./dicom-series";
import { listRtStructRois, readRtStructMask } from "./rtstruct";
import { IDENTITY_DIRECTION, maskVoxelCount, voxelPosition, type Mask, type Triple, type VoxelGrid } from "./volume";

/**
 * pydicom's rtstruct.dcm: ROI 1 "patient" (EXTERNAL) has three closed planar contours, the
 * rectangle x -200..200, y -150..150 mm at z = -200, -190 and -180 mm; ROIs 2 and 3 are isocentres
 * (one POINT each). It references frame of reference 1.2.826.0.1.3680043.8.498.2010020400001.2,
 * whose images are not in the corpus, so the tests draw it on grids made for it.
 */
const RTSTRUCT = path.join(DICOM_DATA, "pydicom/test_files/rtstruct.dcm");
const FRAME_OF_REFERENCE = "1.2.826.0.1.3680043.8.498.2010020400001.2";

function grid(origin: Triple, dims: Triple, spacing: Triple = [10, 10, 10], direction = IDENTITY_DIRECTION): VoxelGrid {
  return { dims, spacing, origin, direction };
}

function sliceCounts(mask: Mask): number[] {
  const size = mask.dims[0] * mask.dims[1];
  return Array.from({ length: mask.dims[2] }, (_, k) =>
    mask.data.subarray(k * size, (k + 1) * size).reduce((n, v) => n + v, 0),
  );
}

/** The voxels of a mask as [i, j, k]. */
function voxels(mask: Mask): Triple[] {
  const out: Triple[] = [];
  const [nx, ny] = mask.dims;
  mask.data.forEach((v, n) => {
    if (v !== 0) out.push([n % nx, Math.floor(n / nx) % ny, Math.floor(n / (nx * ny))]);
  });
  return out;
}

const scratch = temporaryDirectories("radlab-rtstruct-");

/**
 * rtstruct.dcm with the contours of ROI 1 replaced by `contours` (each a list of [x, y, z] points),
 * and its frame of reference by `frameOfReference` when given.
 */
function withContours(
  contours: readonly (readonly Triple[])[],
  type = "CLOSED_PLANAR",
  frameOfReference?: string,
): string {
  const ds = readDicomFile(RTSTRUCT);
  if (frameOfReference !== undefined) {
    const roi = (ds.dict["30060020"]!.Value as Record<string, { vr: string; Value: unknown[] }>[])[0]!;
    roi["30060024"] = { vr: "UI", Value: [frameOfReference] };
  }
  const roiContour = (ds.dict["30060039"]!.Value as Record<string, { vr: string; Value: unknown[] }>[])[0]!;
  roiContour["30060040"] = {
    vr: "SQ",
    Value: contours.map((points, n) => ({
      "30060042": { vr: "CS", Value: [type] },
      "30060046": { vr: "IS", Value: [points.length] },
      "30060048": { vr: "IS", Value: [n + 1] },
      "30060050": { vr: "DS", Value: points.flat() },
    })),
  };
  const dir = scratch();
  const file = path.join(dir, "rtstruct.dcm");
  writeFileSync(file, writeDicom(ds));
  return file;
}

function square(half: number, z: number, centre: readonly [number, number] = [0, 0]): Triple[] {
  const [cx, cy] = centre;
  return [
    [cx - half, cy - half, z],
    [cx + half, cy - half, z],
    [cx + half, cy + half, z],
    [cx - half, cy + half, z],
  ];
}

describe("listRtStructRois", () => {
  it("joins the structure set, contour and observation sequences", () => {
    expect(listRtStructRois(RTSTRUCT)).toEqual([
      {
        number: 1,
        name: "patient",
        frameOfReferenceUid: FRAME_OF_REFERENCE,
        interpretedType: "EXTERNAL",
        contourCount: 3,
        geometricTypes: ["CLOSED_PLANAR"],
      },
      {
        number: 2,
        name: "Isocenter 1",
        frameOfReferenceUid: FRAME_OF_REFERENCE,
        interpretedType: "ISOCENTER",
        contourCount: 1,
        geometricTypes: ["POINT"],
      },
      {
        number: 3,
        name: "Isocenter 2",
        frameOfReferenceUid: FRAME_OF_REFERENCE,
        interpretedType: "ISOCENTER",
        contourCount: 1,
        geometricTypes: ["POINT"],
      },
    ]);
  });
});

describe("readRtStructMask", () => {
  it("fills each contour on its slice: 40 x 30 voxel centres of the 400 x 300 mm rectangle", async () => {
    // Voxel centres every 10 mm from -250: the edges at -200 and 200 (x), -150 and 150 (y) fall on centres.
    const image = { ...grid([-250, -250, -200], [51, 51, 3]), frameOfReferenceUid: FRAME_OF_REFERENCE };
    const mask = await readRtStructMask(RTSTRUCT, image, "patient");
    expect(sliceCounts(mask)).toEqual([1200, 1200, 1200]);
    expect([mask.dims, mask.spacing, mask.origin, mask.direction, mask.source]).toEqual([
      image.dims,
      image.spacing,
      image.origin,
      image.direction,
      RTSTRUCT,
    ]);
    // Half-open on edges through centres: x from -200 (in) to 200 (out), y from -150 (in) to 150 (out).
    const all = voxels(mask);
    expect(Math.min(...all.map((v) => v[0]))).toBe(5);
    expect(Math.max(...all.map((v) => v[0]))).toBe(44);
    expect(Math.min(...all.map((v) => v[1]))).toBe(10);
    expect(Math.max(...all.map((v) => v[1]))).toBe(39);
    // By number, the same mask.
    expect((await readRtStructMask(RTSTRUCT, image, 1)).data).toEqual(mask.data);
  });

  it("counts the same with voxel centres off the edges", async () => {
    const mask = await readRtStructMask(RTSTRUCT, grid([-245, -245, -200], [50, 50, 3]), "patient");
    expect(sliceCounts(mask)).toEqual([1200, 1200, 1200]);
  });

  it("leaves the slices between contours empty", async () => {
    const mask = await readRtStructMask(RTSTRUCT, grid([-250, -250, -200], [51, 51, 5], [10, 10, 5]), "patient");
    expect(sliceCounts(mask)).toEqual([1200, 0, 1200, 0, 1200]);
  });

  it("follows the grid's direction: every voxel inside lies inside the rectangle", async () => {
    // Axes along -x, -y, +z (a prone scan, for example), the origin at the other corner.
    const image = grid([250, 250, -200], [51, 51, 3], [10, 10, 10], [-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    const mask = await readRtStructMask(RTSTRUCT, image, "patient");
    expect(maskVoxelCount(mask)).toBe(3600);
    const outside = voxels(mask)
      .map(([i, j, k]) => voxelPosition(image, i, j, k))
      .filter(([x, y, z]) => !(x >= -200 && x <= 200 && y >= -150 && y <= 150 && [-200, -190, -180].includes(z)));
    expect(outside).toEqual([]);
  });

  it("cuts inner contours out (even-odd), whatever their winding", async () => {
    const outer = square(100, -190);
    const inner = square(50, -190).reverse();
    const island = square(20, -200, [150, 0]);
    const file = withContours([outer, inner, island]);
    const mask = await readRtStructMask(file, grid([-250, -250, -200], [51, 51, 3]), 1);
    // 20 x 20 voxel centres in the outer square, less 10 x 10 in the hole; the island is 4 x 4 on slice 0.
    expect(sliceCounts(mask)).toEqual([16, 300, 0]);
    const size = 51 * 51;
    const at = (i: number, j: number, k: number) => mask.data[i + 51 * j + size * k];
    expect([at(25, 25, 1), at(20, 20, 1), at(19, 19, 1), at(15, 15, 1), at(14, 15, 1)]).toEqual([0, 0, 1, 1, 0]);
  });

  it("draws on a readDicomSeries volume in the same frame of reference", async () => {
    const ct = await readDicomSeries(path.join(DICOM_DATA, "pydicom/test_files/dicomdirtests/98892001/CT5N"));
    // Voxel centres at x = -72.199997 + 0.488281 i: the rectangle holds the centres of columns 2 to 4 and rows 3 to 6.
    const x = (i: number) => -72.199997 + 0.488281 * i;
    const y = (j: number) => -143 + 0.488281 * j;
    const z = ct.slices[2]!.position[2];
    const rectangle: Triple[] = [
      [x(1.5), y(2.5), z],
      [x(4.5), y(2.5), z],
      [x(4.5), y(6.5), z],
      [x(1.5), y(6.5), z],
    ];
    const file = withContours([rectangle], "CLOSED_PLANAR", ct.frameOfReferenceUid);
    const mask = await readRtStructMask(file, ct, "patient");
    expect(sliceCounts(mask)).toEqual([0, 0, 12, 0, 0]);
    expect(voxels(mask).filter(([i, j]) => i < 2 || i > 4 || j < 3 || j > 6)).toEqual([]);
    // The structure set's own frame of reference is not the CT's.
    expect((await rejected(() => readRtStructMask(RTSTRUCT, ct, "patient"))).code).toBe("geometry");
  });

  it("clips contours reaching beyond the image within their slice", async () => {
    // The grid covers x from -50 to 40 and y from -50 to 40: the rectangle covers it all.
    const mask = await readRtStructMask(RTSTRUCT, grid([-50, -50, -200], [10, 10, 3]), "patient");
    expect(sliceCounts(mask)).toEqual([100, 100, 100]);
  });
});

describe("readRtStructMask refuses", () => {
  it("an unknown ROI, naming those there are", async () => {
    const image = grid([-250, -250, -200], [51, 51, 3]);
    const byName = await rejected(() => readRtStructMask(RTSTRUCT, image, "Patient"));
    expect(byName.code).toBe("input");
    expect(byName.message.split("\n")[0]).toBe(
      'rtstruct.dcm has no ROI named "Patient"; it holds 1 "patient", 2 "Isocenter 1", 3 "Isocenter 2"',
    );
    expect(byName.hint).toBe('Names are matched exactly: did you mean "patient"?');
    expect(byName.evidence.tag).toBe("(3006,0026) ROI Name");
    const byNumber = await rejected(() => readRtStructMask(RTSTRUCT, image, 7));
    expect(byNumber.message).toMatch(/^rtstruct.dcm has no ROI number 7; it holds 1 "patient"/);
  });

  it("an ROI of points", async () => {
    const error = await rejected(() =>
      readRtStructMask(RTSTRUCT, grid([-250, -250, -200], [51, 51, 3]), "Isocenter 1"),
    );
    expect(error.code).toBe("input");
    expect(error.message).toMatch(
      /^ROI 2 "Isocenter 1" of rtstruct.dcm has 1 of 1 contour\(s\) of type POINT, which enclose no area: contour 1\n/,
    );
  });

  it("contours that lie on no slice, naming them", async () => {
    const error = await rejected(() =>
      readRtStructMask(RTSTRUCT, grid([-250, -250, -202.5], [51, 51, 3], [10, 10, 5]), "patient"),
    );
    expect(error.code).toBe("geometry");
    expect(error.message.split("\n")[0]).toBe(
      '3 of 3 contour(s) of ROI 1 "patient" lie on no slice of the image (k from 0 to 2, within 0.1 of a slice centre): ' +
        "contour 1 at k = 0.5 (first point -200, 150, -200 mm), contour 2 at k = 2.5 (first point 200, 0, -190 mm), " +
        "contour 3 at k = 4.5 (first point 200, 0, -180 mm)",
    );
    // A grid that ends before the last contour.
    const short = await rejected(() => readRtStructMask(RTSTRUCT, grid([-250, -250, -200], [51, 51, 2]), "patient"));
    expect(short.message).toMatch(/1 of 3 contour\(s\) of ROI 1 "patient" lie on no slice .*: contour 3 at k = 2 /);
  });

  it("contours not parallel to the slices", async () => {
    const tilted: Triple[] = [
      [-100, -100, -200],
      [100, -100, -200],
      [100, 100, -180],
      [-100, 100, -180],
    ];
    const error = await rejected(() =>
      readRtStructMask(withContours([tilted]), grid([-250, -250, -200], [51, 51, 3]), 1),
    );
    expect(error.code).toBe("geometry");
    expect(error.message).toMatch(
      /^1 contour\(s\) of ROI 1 "patient" are not parallel to the slices of the image: contour 1 \(from k = 0 to 2\)/,
    );
  });

  it("another frame of reference", async () => {
    const image = { ...grid([-250, -250, -200], [51, 51, 3]), frameOfReferenceUid: "1.2.3" };
    const error = await rejected(() => readRtStructMask(RTSTRUCT, image, "patient"));
    expect(error.code).toBe("geometry");
    expect(error.message).toMatch(
      /^ROI "patient" is in frame of reference 1.2.826.0.1.3680043.8.498.2010020400001.2, the image in 1.2.3\n/,
    );
  });

  it("a mask with no voxel, open contours, damaged contours and bad tolerances", async () => {
    const away = await rejected(() => readRtStructMask(RTSTRUCT, grid([1000, 1000, -200], [10, 10, 3]), "patient"));
    expect(away.code).toBe("empty-roi");
    const open = withContours([square(100, -190)], "OPEN_PLANAR");
    const openError = await rejected(() => readRtStructMask(open, grid([-250, -250, -200], [51, 51, 3]), 1));
    expect(openError.message).toMatch(/has 1 of 1 contour\(s\) of type OPEN_PLANAR, which enclose no area/);
    const two = withContours([square(100, -190).slice(0, 2)]);
    const twoError = await rejected(() => readRtStructMask(two, grid([-250, -250, -200], [51, 51, 3]), 1));
    expect([twoError.code, twoError.evidence.tag]).toEqual(["input", "(3006,0050) Contour Data"]);
    const tolerance = await rejected(() =>
      readRtStructMask(RTSTRUCT, grid([0, 0, 0], [1, 1, 1]), 1, { sliceTolerance: 0.5 }),
    );
    expect([tolerance.code, tolerance.evidence.path]).toEqual(["settings", "options.sliceTolerance"]);
  });

  it("files that are not structure sets", async () => {
    const ct = path.join(DICOM_DATA, "pydicom/test_files/CT_small.dcm");
    const error = await rejected(() => readRtStructMask(ct, grid([0, 0, 0], [1, 1, 1]), 1));
    expect(error.code).toBe("input");
    expect(error.message).toMatch(
      /is not an RT Structure Set: \(0008,0016\) SOP Class UID is 1.2.840.10008.5.1.4.1.1.2 \(modality CT\)/,
    );
    expect(() => listRtStructRois(path.join(DICOM_DATA, "no-such-file.dcm"))).toThrow(RadiomicsError);
  });
});
