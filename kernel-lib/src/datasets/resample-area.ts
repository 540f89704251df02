/**
 * Resamples a greyscale image by area averaging (each output pixel is the mean of the input area
 * it covers, with fractional weights at its edges; OpenCV's INTER_AREA). Downsampling a 1024 px
 * radiograph to 64 px keeps every input pixel's contribution, where bilinear sampling would skip
 * most of them. Deterministic and backend-free.
 *
 * @param data - row-major `rows * columns` values.
 * @returns row-major `outRows * outColumns` values.
 * @example
 * ```ts
 * resampleArea(new Float32Array([1, 3, 5, 7]), 2, 2, 1, 1); // Float32Array [4]
 * ```
 */
export function resampleArea(
  data: ArrayLike<number>,
  rows: number,
  columns: number,
  outRows: number,
  outColumns: number,
): Float32Array {
  const wy = areaWeights(rows, outRows);
  const wx = areaWeights(columns, outColumns);
  // Columns first (rows x outColumns), then rows.
  const middle = new Float32Array(rows * outColumns);
  for (let r = 0; r < rows; r++) {
    for (const [o, terms] of wx.entries()) {
      let sum = 0;
      for (const [i, w] of terms) sum += (data[r * columns + i] ?? 0) * w;
      middle[r * outColumns + o] = sum;
    }
  }
  const out = new Float32Array(outRows * outColumns);
  for (const [o, terms] of wy.entries()) {
    for (let c = 0; c < outColumns; c++) {
      let sum = 0;
      for (const [i, w] of terms) sum += (middle[i * outColumns + c] ?? 0) * w;
      out[o * outColumns + c] = sum;
    }
  }
  return out;
}

/** For each output index, the input indices it covers and their weights (summing to 1). */
function areaWeights(size: number, outSize: number): [number, number][][] {
  const scale = size / outSize;
  const weights: [number, number][][] = [];
  for (let o = 0; o < outSize; o++) {
    const start = o * scale;
    const end = start + scale;
    const terms: [number, number][] = [];
    if (scale <= 1) {
      // Upsampling: linear interpolation between the two nearest input centres.
      const centre = (o + 0.5) * scale - 0.5;
      const i0 = Math.max(0, Math.min(size - 1, Math.floor(centre)));
      const i1 = Math.min(size - 1, i0 + 1);
      const t = Math.max(0, Math.min(1, centre - i0));
      terms.push([i0, 1 - t]);
      if (i1 !== i0 && t > 0) terms.push([i1, t]);
    } else {
      for (let i = Math.floor(start); i < Math.min(size, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 0) terms.push([i, overlap / scale]);
      }
    }
    weights.push(terms);
  }
  return weights;
}
