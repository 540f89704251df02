import { describe, expect, it } from "vitest";
import { pyradiomicsFirstOrderFeatures } from "../features/pyradiomics-firstorder";
import { IDENTITY_DIRECTION, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { laplacianOfGaussian } from "./laplacian-of-gaussian";
import { pyradiomicsLog, pyradiomicsLogName } from "./pyradiomics-log";
import { brain1, ibsi2Phantom, pyradiomicsFiltersReference } from "./test-support/filter-references";

describe("pyradiomicsLog against pyradiomics 3.0.1 (SimpleITK 2.5.7) on brain1", () => {
  // bench/radiomics_filters_reference.py: pyradiomics' LoG image type, sigma 1, 2 and 3 mm, on the
  // whole 256 x 256 x 25 image (0.78 x 0.78 x 6.5 mm), first-order features inside label 1.
  // The filtered images are SimpleITK's float32 values bit for bit (sigma 1 and 3 mm; 3 of the
  // 1,638,400 voxels differ by one float32 ulp at 2 mm), so the features agree to summation order.
  it("reproduces the first-order features to 1e-12, minimum and maximum exactly", () => {
    const reference = pyradiomicsFiltersReference();
    const { image, mask } = brain1();
    for (const sigma of [1, 2, 3]) {
      const name = pyradiomicsLogName(sigma);
      const want = reference.images[name]!;
      const log = pyradiomicsLog(image, sigma);
      expect(log.pixelType).toBe("float32");
      expect(log.data.every((v) => Math.fround(v) === v)).toBe(true);
      const features = pyradiomicsFirstOrderFeatures(log, mask, { binWidth: 25, voxelArrayShift: 0 });
      for (const [feature, value] of Object.entries(want)) {
        const got = features[`firstorder_${feature}`]!;
        expect(Math.abs(got - value), `${name}_firstorder_${feature}: ${got} vs ${value}`).toBeLessThanOrEqual(
          1e-12 * Math.abs(value),
        );
      }
      expect(features.firstorder_Minimum).toBe(want.Minimum);
      expect(features.firstorder_Maximum).toBe(want.Maximum);
    }
  });
});

describe("pyradiomicsLog beside IBSI-2's LoG", () => {
  // The recursive filters approximate the Gaussian; with the edge continued (nearest padding) and
  // sigma^2 normalisation, pyradiomics' LoG is s^2 times IBSI-2's (s = sigma in voxels) to about 1.5%
  // of the largest response on the sphere phantom (64^3 voxels of 2 mm; measured 1.1%, 1.5%, 1.3%).
  it("agrees with s^2 times IBSI-2's sampled LoG to 2% of the largest response", async () => {
    const sphere = await ibsi2Phantom("sphere");
    for (const sigma of [2, 4, 6]) {
      const ours = pyradiomicsLog(sphere, sigma);
      const ibsi = laplacianOfGaussian(sphere, { sigmaMm: sigma, boundary: "nearest" });
      const s2 = (sigma / 2) ** 2;
      let worst = 0;
      let largest = 0;
      ours.data.forEach((v, n) => {
        worst = Math.max(worst, Math.abs(v - s2 * ibsi.data[n]!));
        largest = Math.max(largest, Math.abs(v));
      });
      expect(worst / largest, `sigma ${sigma}`).toBeLessThan(0.02);
      expect(worst / largest, `sigma ${sigma}`).toBeGreaterThan(0.005); // not the same filter
    }
  });
});

describe("pyradiomicsLogName", () => {
  it("writes sigma as Python's str() with the point as a dash", () => {
    expect(pyradiomicsLogName(1)).toBe("log-sigma-1-0-mm-3D");
    expect(pyradiomicsLogName(3)).toBe("log-sigma-3-0-mm-3D");
    expect(pyradiomicsLogName(1.5)).toBe("log-sigma-1-5-mm-3D");
    expect(pyradiomicsLogName(0.25)).toBe("log-sigma-0-25-mm-3D");
    expect(pyradiomicsLogName(0.0001)).toBe("log-sigma-0-0001-mm-3D");
    expect(pyradiomicsLogName(5e-5)).toBe("log-sigma-5e-05-mm-3D");
    expect(pyradiomicsLogName(2.5e-7)).toBe("log-sigma-2-5e-07-mm-3D");
    expect(pyradiomicsLogName(1e16)).toBe("log-sigma-1e+16-mm-3D");
  });
});

describe("pyradiomicsLog's limits, as pyradiomics checks them", () => {
  const cube = (n: number): Volume => ({
    dims: [n, n, n],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    data: new Float64Array(n * n * n),
  });

  it("refuses a sigma that is not positive, an image under 4 voxels and a sigma the image cannot hold", () => {
    const zero = thrown(() => pyradiomicsLog(cube(8), 0));
    expect(zero.code).toBe("settings");
    expect(zero.evidence.path).toBe("sigma");
    const small = thrown(() => pyradiomicsLog(cube(3), 1));
    expect(small.code).toBe("input");
    expect(small.message).toBe(
      "The image (3 x 3 x 3) is too small for pyradiomics' LoG filter\nHow to fix: pyradiomics needs at least 4 voxels along each axis and yields no LoG image otherwise.",
    );
    const large = thrown(() => pyradiomicsLog(cube(4), 3.5));
    expect(large.code).toBe("input");
    expect(large.evidence.path).toBe("sigma");
    expect(() => pyradiomicsLog(cube(4), 3)).not.toThrow();
  });
});
