/**
 * A grey level by count matrix, the shape shared by the size zone (GLSZM), distance zone (GLDZM)
 * and dependence (NGLDM, pyradiomics' GLDM) matrices: `counts[r * columns + c]` is how many
 * zones (or voxels) have grey level `r + 1` and size, distance or dependence count `c + 1`.
 */
export interface CountMatrix {
  readonly counts: Float64Array;
  readonly rows: number;
  readonly columns: number;
}

/**
 * The sums every feature of a {@link CountMatrix} is made of, with `i` the grey level, `j` the
 * column value (zone size, zone distance or dependence count), `P(i, j)` the counts,
 * `N = ΣP(i, j)` and `p(i, j) = P(i, j) / N`.
 */
export interface CountMatrixStatistics {
  /** N, the number of zones (or voxels) counted. */
  readonly total: number;
  /** Σ P j: the number of voxels in the runs or zones counted (for run lengths and zone sizes). */
  readonly columnTotal: number;
  /** Σ p / j² (small zone, small distance, low dependence emphasis). */
  readonly smallEmphasis: number;
  /** Σ p j². */
  readonly largeEmphasis: number;
  /** Σ p / i². */
  readonly lowGreyEmphasis: number;
  /** Σ p i². */
  readonly highGreyEmphasis: number;
  /** Σ p / (i² j²). */
  readonly smallLowGreyEmphasis: number;
  /** Σ p i² / j². */
  readonly smallHighGreyEmphasis: number;
  /** Σ p j² / i². */
  readonly largeLowGreyEmphasis: number;
  /** Σ p i² j². */
  readonly largeHighGreyEmphasis: number;
  /** Σᵢ (Σⱼ P)² / N. */
  readonly greyNonUniformity: number;
  /** Σᵢ (Σⱼ P)² / N². */
  readonly greyNonUniformityNormalised: number;
  /** Σⱼ (Σᵢ P)² / N. */
  readonly columnNonUniformity: number;
  /** Σⱼ (Σᵢ P)² / N². */
  readonly columnNonUniformityNormalised: number;
  /** Σ p (i - μᵢ)² with μᵢ = Σ p i (the biased variance, as IBSI and pyradiomics define it). */
  readonly greyVariance: number;
  /** Σ p (j - μⱼ)² with μⱼ = Σ p j. */
  readonly columnVariance: number;
  /** -Σ p log₂(p + ε), ε = 0 unless asked (pyradiomics adds machine epsilon). */
  readonly entropy: number;
  /** Σ p². */
  readonly energy: number;
}

/**
 * Counts pairs (grey level, value) into a {@link CountMatrix}: item `n` of `from..to-1` adds 1
 * at row `rowOf[n] - 1`, column `columnOf[n] - 1`. Both must be at least 1; the matrix is as
 * large as the largest grey level and value counted.
 *
 * @example
 * ```ts
 * import { countMatrixOf } from "./count-matrix";
 * // Three zones: grey level 1 of size 2, grey level 2 of size 1, grey level 1 of size 2.
 * countMatrixOf(Int32Array.from([1, 2, 1]), Int32Array.from([2, 1, 2]), 0, 3);
 * // { rows: 2, columns: 2, counts: Float64Array [0, 2, 1, 0] }
 * ```
 */
export function countMatrixOf(rowOf: Int32Array, columnOf: Int32Array, from: number, to: number): CountMatrix {
  let rows = 0;
  let columns = 0;
  for (let n = from; n < to; n++) {
    if (rowOf[n]! > rows) rows = rowOf[n]!;
    if (columnOf[n]! > columns) columns = columnOf[n]!;
  }
  const counts = new Float64Array(rows * columns);
  for (let n = from; n < to; n++) counts[(rowOf[n]! - 1) * columns + columnOf[n]! - 1]!++;
  return { counts, rows, columns };
}

/**
 * The element-wise sum of several matrices (IBSI's merging of per-slice matrices for 2.5D),
 * as large as the largest of them.
 *
 * @example
 * ```ts
 * import { countMatrixOf, sumCountMatrices } from "./count-matrix";
 * const a = countMatrixOf(Int32Array.from([1]), Int32Array.from([2]), 0, 1);
 * const b = countMatrixOf(Int32Array.from([2]), Int32Array.from([1]), 0, 1);
 * sumCountMatrices([a, b]); // { rows: 2, columns: 2, counts: Float64Array [0, 1, 1, 0] }
 * ```
 */
export function sumCountMatrices(matrices: readonly CountMatrix[]): CountMatrix {
  let rows = 0;
  let columns = 0;
  for (const m of matrices) {
    rows = Math.max(rows, m.rows);
    columns = Math.max(columns, m.columns);
  }
  const counts = new Float64Array(rows * columns);
  for (const m of matrices) {
    for (let r = 0; r < m.rows; r++) {
      for (let c = 0; c < m.columns; c++) counts[r * columns + c]! += m.counts[r * m.columns + c]!;
    }
  }
  return { counts, rows, columns };
}

/**
 * Computes the {@link CountMatrixStatistics} of a matrix in one pass over its cells. An empty
 * matrix (N = 0) gives `NaN` everywhere but `total`.
 *
 * @param entropyEpsilon - added to p inside the logarithm of the entropy (pyradiomics uses
 *   machine epsilon, 2.2e-16; IBSI uses none).
 *
 * @example
 * ```ts
 * import { countMatrixOf, countMatrixStatistics } from "./count-matrix";
 * const m = countMatrixOf(Int32Array.from([1, 2, 1]), Int32Array.from([2, 1, 2]), 0, 3);
 * countMatrixStatistics(m).smallEmphasis; // (2 / 4 + 1 / 1) / 3 = 0.5
 * ```
 */
export function countMatrixStatistics(matrix: CountMatrix, entropyEpsilon = 0): CountMatrixStatistics {
  const { counts, rows, columns } = matrix;
  const rowSum = new Float64Array(rows);
  const columnSum = new Float64Array(columns);
  let total = 0;
  let smallLow = 0;
  let smallHigh = 0;
  let largeLow = 0;
  let largeHigh = 0;
  for (let r = 0; r < rows; r++) {
    const i2 = (r + 1) * (r + 1);
    for (let c = 0; c < columns; c++) {
      const v = counts[r * columns + c]!;
      if (v === 0) continue;
      const j2 = (c + 1) * (c + 1);
      rowSum[r]! += v;
      columnSum[c]! += v;
      total += v;
      smallLow += v / (i2 * j2);
      smallHigh += (v * i2) / j2;
      largeLow += (v * j2) / i2;
      largeHigh += v * i2 * j2;
    }
  }
  let entropy = 0;
  let energy = 0;
  for (let n = 0; n < counts.length; n++) {
    const v = counts[n]!;
    if (v === 0) continue;
    const p = v / total;
    entropy -= p * Math.log2(p + entropyEpsilon);
    energy += p * p;
  }
  let low = 0;
  let high = 0;
  let greySquares = 0;
  let greyMean = 0;
  for (let r = 0; r < rows; r++) {
    const s = rowSum[r]!;
    const i = r + 1;
    low += s / (i * i);
    high += s * i * i;
    greySquares += s * s;
    greyMean += s * i;
  }
  greyMean /= total;
  let greyVariance = 0;
  for (let r = 0; r < rows; r++) greyVariance += rowSum[r]! * (r + 1 - greyMean) ** 2;
  let small = 0;
  let large = 0;
  let columnSquares = 0;
  let columnMean = 0;
  for (let c = 0; c < columns; c++) {
    const s = columnSum[c]!;
    const j = c + 1;
    small += s / (j * j);
    large += s * j * j;
    columnSquares += s * s;
    columnMean += s * j;
  }
  const columnTotal = columnMean;
  columnMean /= total;
  let columnVariance = 0;
  for (let c = 0; c < columns; c++) columnVariance += columnSum[c]! * (c + 1 - columnMean) ** 2;
  if (total === 0) {
    const nan = Number.NaN;
    return {
      total,
      columnTotal: nan,
      smallEmphasis: nan,
      largeEmphasis: nan,
      lowGreyEmphasis: nan,
      highGreyEmphasis: nan,
      smallLowGreyEmphasis: nan,
      smallHighGreyEmphasis: nan,
      largeLowGreyEmphasis: nan,
      largeHighGreyEmphasis: nan,
      greyNonUniformity: nan,
      greyNonUniformityNormalised: nan,
      columnNonUniformity: nan,
      columnNonUniformityNormalised: nan,
      greyVariance: nan,
      columnVariance: nan,
      entropy: nan,
      energy: nan,
    };
  }
  return {
    total,
    columnTotal,
    smallEmphasis: small / total,
    largeEmphasis: large / total,
    lowGreyEmphasis: low / total,
    highGreyEmphasis: high / total,
    smallLowGreyEmphasis: smallLow / total,
    smallHighGreyEmphasis: smallHigh / total,
    largeLowGreyEmphasis: largeLow / total,
    largeHighGreyEmphasis: largeHigh / total,
    greyNonUniformity: greySquares / total,
    greyNonUniformityNormalised: greySquares / (total * total),
    columnNonUniformity: columnSquares / total,
    columnNonUniformityNormalised: columnSquares / (total * total),
    greyVariance: greyVariance / total,
    columnVariance: columnVariance / total,
    entropy,
    energy,
  };
}
