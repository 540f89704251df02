/**
 * The mean of each named feature over pyradiomics' angles, leaving out `NaN`s as numpy's
 * `nanmean` does (pyradiomics' default aggregation of per-angle texture features); `NaN` when
 * every angle gives `NaN` or there is no angle. Infinities are kept, as in numpy.
 *
 * @example
 * ```ts
 * import { nanMeanFeatures } from "./pyradiomics-angle-mean";
 * nanMeanFeatures([{ glcm_Imc2: 0.5 }, { glcm_Imc2: Number.NaN }, { glcm_Imc2: 0.7 }], ["glcm_Imc2"]);
 * // { glcm_Imc2: 0.6 }
 * ```
 */
export function nanMeanFeatures(
  sets: readonly Readonly<Record<string, number>>[],
  names: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) {
    let sum = 0;
    let n = 0;
    for (const set of sets) {
      const v = set[name];
      if (v === undefined || Number.isNaN(v)) continue;
      sum += v;
      n++;
    }
    out[name] = n === 0 ? Number.NaN : sum / n;
  }
  return out;
}
