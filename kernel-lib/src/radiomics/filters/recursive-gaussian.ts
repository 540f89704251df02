import type { Triple } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";

/** The derivative a recursive Gaussian filter approximates. */
export type GaussianOrder = 0 | 2;

/**
 * The coefficients of ITK's `RecursiveGaussianImageFilter` (Deriche's fourth-order recursive
 * approximation, with Farnebäck and Westin's boundary handling): causal inputs n0..n3,
 * anti-causal inputs m1..m4, recursion d1..d4 (shared by both directions), and the boundary
 * coefficients bn1..bn4, bm1..bm4 that extend the edge values to infinity.
 */
export interface RecursiveGaussianCoefficients {
  readonly n: readonly [number, number, number, number];
  readonly d: readonly [number, number, number, number];
  readonly m: readonly [number, number, number, number];
  readonly bn: readonly [number, number, number, number];
  readonly bm: readonly [number, number, number, number];
}

/**
 * ITK's `RecursiveGaussianImageFilter::SetUp` (ITK 5.4, as in SimpleITK 2.5), operation for
 * operation, so that the doubles come out as ITK's: sigma in mm over the spacing along the axis
 * gives sigma in voxels; order 0 is normalised to unit gain, order 2 so that the response to
 * x^2 is 2 (times sigma^2 when `normalizeAcrossScale`, with sigma in mm: the result is then
 * sigma^2 d^2/di^2, per voxel^2, which the Laplacian divides by spacing^2).
 */
export function recursiveGaussianCoefficients(
  sigmaMm: number,
  spacing: number,
  order: GaussianOrder,
  normalizeAcrossScale: boolean,
): RecursiveGaussianCoefficients {
  const sigmad = sigmaMm / Math.abs(spacing);
  const A1 = [1.353, -0.6724, -1.3563];
  const B1 = [1.8151, -3.4327, 5.2318];
  const W1 = 0.6681;
  const L1 = -1.3932;
  const A2 = [-0.3531, 0.6724, 0.3446];
  const B2 = [0.0902, 0.61, -2.2355];
  const W2 = 2.0787;
  const L2 = -1.3732;
  const cos1 = Math.cos(W1 / sigmad);
  const cos2 = Math.cos(W2 / sigmad);
  const sin1 = Math.sin(W1 / sigmad);
  const sin2 = Math.sin(W2 / sigmad);
  const exp1 = Math.exp(L1 / sigmad);
  const exp2 = Math.exp(L2 / sigmad);
  const d4 = exp1 * exp1 * exp2 * exp2;
  let d3 = -2 * cos1 * exp1 * exp2 * exp2;
  d3 += -2 * cos2 * exp2 * exp1 * exp1;
  let d2 = 4 * cos2 * cos1 * exp1 * exp2;
  d2 += exp1 * exp1 + exp2 * exp2;
  const d1 = -2 * (exp2 * cos2 + exp1 * cos1);
  const SD = 1.0 + d1 + d2 + d3 + d4;
  const DD = d1 + 2 * d2 + 3 * d3 + 4 * d4;
  const ED = d1 + 4 * d2 + 9 * d3 + 16 * d4;
  const numerator = (a1: number, b1: number, a2: number, b2: number) => {
    const n0 = a1 + a2;
    let n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2);
    n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
    let n2 = (a1 + a2) * cos2 * cos1;
    n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
    n2 *= 2 * exp1 * exp2;
    n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
    let n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
    n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
    return { n: [n0, n1, n2, n3], SN: n0 + n1 + n2 + n3, DN: n1 + 2 * n2 + 3 * n3, EN: n1 + 4 * n2 + 9 * n3 };
  };
  let n: number[];
  if (order === 0) {
    const z = numerator(A1[0]!, B1[0]!, A2[0]!, B2[0]!);
    const alpha0 = (2 * z.SN) / SD - z.n[0]!;
    n = z.n.map((v) => v * (1.0 / alpha0));
  } else {
    const scale = normalizeAcrossScale ? sigmaMm * sigmaMm : 1.0;
    const z0 = numerator(A1[0]!, B1[0]!, A2[0]!, B2[0]!);
    const z2 = numerator(A1[2]!, B1[2]!, A2[2]!, B2[2]!);
    const beta = -(2 * z2.SN - SD * z2.n[0]!) / (2 * z0.SN - SD * z0.n[0]!);
    n = z2.n.map((v, i) => v + beta * z0.n[i]!);
    const SN = z2.SN + beta * z0.SN;
    const DN = z2.DN + beta * z0.DN;
    const EN = z2.EN + beta * z0.EN;
    let alpha2 = EN * SD * SD - ED * SN * SD - 2 * DN * DD * SD + 2 * DD * DD * SN;
    alpha2 /= SD * SD * SD;
    n = n.map((v) => v * (scale / alpha2));
  }
  const [n0, n1, n2, n3] = [n[0]!, n[1]!, n[2]!, n[3]!];
  // Both orders are symmetric kernels (ComputeRemainingCoefficients(true)).
  const m = [n1 - d1 * n0, n2 - d2 * n0, n3 - d3 * n0, -d4 * n0] as const;
  const sn = n0 + n1 + n2 + n3;
  const sm = m[0] + m[1] + m[2] + m[3];
  const sd = 1.0 + d1 + d2 + d3 + d4;
  const d = [d1, d2, d3, d4] as const;
  return {
    n: [n0, n1, n2, n3],
    d,
    m,
    bn: [(d1 * sn) / sd, (d2 * sn) / sd, (d3 * sn) / sd, (d4 * sn) / sd],
    bm: [(d1 * sm) / sd, (d2 * sm) / sd, (d3 * sm) / sd, (d4 * sm) / sd],
  };
}

/**
 * One pass of ITK's recursive filter along an axis (`RecursiveSeparableImageFilter::
 * FilterDataArray`, operation for operation): a causal and an anti-causal fourth-order
 * recursion, each started as if the edge value continued to infinity, summed. Lines are processed
 * side by side (every voxel of a row of the other axes at once), which changes the order of the
 * lines but no voxel's arithmetic. The result is rounded to float32 (and stored as float64), the
 * type of ITK's intermediate images in `LaplacianRecursiveGaussianImageFilter`.
 *
 * @param data - Voxels as a {@link Volume} stores them; not changed.
 * @throws {@link RadiomicsError} `input` for an axis shorter than 4 voxels (ITK's minimum).
 */
export function recursiveGaussianAxis(
  data: Float64Array,
  dims: Triple,
  axis: 0 | 1 | 2,
  c: RecursiveGaussianCoefficients,
): Float64Array {
  const ln = dims[axis];
  if (ln < 4) {
    throw new RadiomicsError(
      "input",
      `The image has ${ln} voxels along axis ${axis}; the recursive Gaussian needs at least 4`,
      {
        path: "dims",
        hint: "pyradiomics skips LoG for images smaller than 4 voxels along an axis.",
      },
    );
  }
  const inner = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const outer = axis === 0 ? dims[1] * dims[2] : axis === 1 ? dims[2] : 1;
  const out = new Float64Array(data.length);
  // Causal and anti-causal results of one block of `inner` lines, position-major.
  const s1 = new Float64Array(ln * inner);
  const s2 = new Float64Array(ln * inner);
  const [N0, N1, N2, N3] = c.n;
  const [D1, D2, D3, D4] = c.d;
  const [M1, M2, M3, M4] = c.m;
  const [BN1, BN2, BN3, BN4] = c.bn;
  const [BM1, BM2, BM3, BM4] = c.bm;
  for (let o = 0; o < outer; o++) {
    const base = o * ln * inner;
    for (let i = 0; i < inner; i++) {
      // x(p) is data[base + p * inner + i]; s(p) is s[p * inner + i].
      const x = (p: number) => data[base + p * inner + i]!;
      const v = x(0);
      let a = v * N0 + v * N1 + v * N2 + v * N3;
      let b = x(1) * N0 + v * N1 + v * N2 + v * N3;
      let e = x(2) * N0 + x(1) * N1 + v * N2 + v * N3;
      let f = x(3) * N0 + x(2) * N1 + x(1) * N2 + v * N3;
      a -= v * BN1 + v * BN2 + v * BN3 + v * BN4;
      b -= a * D1 + v * BN2 + v * BN3 + v * BN4;
      e -= b * D1 + a * D2 + v * BN3 + v * BN4;
      f -= e * D1 + b * D2 + a * D3 + v * BN4;
      s1[i] = a;
      s1[inner + i] = b;
      s1[2 * inner + i] = e;
      s1[3 * inner + i] = f;
      const w = x(ln - 1);
      a = w * M1 + w * M2 + w * M3 + w * M4;
      b = x(ln - 1) * M1 + w * M2 + w * M3 + w * M4;
      e = x(ln - 2) * M1 + x(ln - 1) * M2 + w * M3 + w * M4;
      f = x(ln - 3) * M1 + x(ln - 2) * M2 + x(ln - 1) * M3 + w * M4;
      a -= w * BM1 + w * BM2 + w * BM3 + w * BM4;
      b -= a * D1 + w * BM2 + w * BM3 + w * BM4;
      e -= b * D1 + a * D2 + w * BM3 + w * BM4;
      f -= e * D1 + b * D2 + a * D3 + w * BM4;
      s2[(ln - 1) * inner + i] = a;
      s2[(ln - 2) * inner + i] = b;
      s2[(ln - 3) * inner + i] = e;
      s2[(ln - 4) * inner + i] = f;
    }
    for (let p = 4; p < ln; p++) {
      const r = p * inner;
      const x0 = base + r;
      for (let i = 0; i < inner; i++) {
        let s =
          data[x0 + i]! * N0 +
          data[x0 - inner + i]! * N1 +
          data[x0 - 2 * inner + i]! * N2 +
          data[x0 - 3 * inner + i]! * N3;
        s -=
          s1[r - inner + i]! * D1 +
          s1[r - 2 * inner + i]! * D2 +
          s1[r - 3 * inner + i]! * D3 +
          s1[r - 4 * inner + i]! * D4;
        s1[r + i] = s;
      }
    }
    for (let p = ln - 4; p > 0; p--) {
      const r = (p - 1) * inner;
      const x0 = base + p * inner;
      for (let i = 0; i < inner; i++) {
        let s =
          data[x0 + i]! * M1 +
          data[x0 + inner + i]! * M2 +
          data[x0 + 2 * inner + i]! * M3 +
          data[x0 + 3 * inner + i]! * M4;
        s -=
          s2[r + inner + i]! * D1 +
          s2[r + 2 * inner + i]! * D2 +
          s2[r + 3 * inner + i]! * D3 +
          s2[r + 4 * inner + i]! * D4;
        s2[r + i] = s;
      }
    }
    for (let p = 0; p < ln * inner; p++) out[base + p] = Math.fround(s1[p]! + s2[p]!);
  }
  return out;
}
