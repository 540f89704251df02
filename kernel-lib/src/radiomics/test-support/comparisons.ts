import { expect } from "vitest";
import { matchesReference, type IbsiReference } from "./reference-data";

/** |actual - expected| / |expected|, or |actual - expected| when `expected` is 0. */
export function relativeError(actual: number, expected: number): number {
  const difference = Math.abs(actual - expected);
  return expected === 0 ? difference : difference / Math.abs(expected);
}

/** How features compare with a pyradiomics baseline column ({@link compareToBaseline}). */
export interface BaselineComparison {
  /** `name: value vs expected` for every baseline feature outside its tolerance (or missing). */
  readonly misses: readonly string[];
  /** The largest relative error, and its feature, among those held to the default tolerance. */
  readonly worst: { readonly name: string; readonly error: number };
}

/**
 * Compares features with a baseline column feature by feature, by {@link relativeError}: within
 * `tolerance`, or the tolerance `wider` gives a feature (which then stays out of `worst`).
 */
export function compareToBaseline(
  features: Readonly<Record<string, number>>,
  baseline: ReadonlyMap<string, number>,
  tolerance = 1e-6,
  wider: Readonly<Record<string, number>> = {},
): BaselineComparison {
  const misses: string[] = [];
  let worst = { name: "", error: 0 };
  for (const [name, expected] of baseline) {
    const value = features[name];
    const error = value === undefined ? Infinity : relativeError(value, expected);
    if (!(error <= (wider[name] ?? tolerance))) misses.push(`${name}: ${value} vs ${expected}`);
    if (wider[name] === undefined && !(error <= worst.error)) worst = { name, error };
  }
  return { misses, worst };
}

/**
 * Expects `features` to hold exactly the baseline's names, each within `tolerance` (relative), and
 * logs how many agree under `label` (for example `pyradiomics glcm brain1`).
 */
export function expectBaselineAgreement(
  label: string,
  features: Readonly<Record<string, number>>,
  baseline: ReadonlyMap<string, number>,
  tolerance = 1e-6,
): void {
  expect(Object.keys(features).sort()).toEqual([...baseline.keys()].sort());
  const { misses, worst } = compareToBaseline(features, baseline, tolerance);
  // eslint-disable-next-line no-console -- test support: printed beside the test's result, as the tests print
  console.log(
    `${label}: ${baseline.size - misses.length} of ${baseline.size} agree; max relative error ${worst.error.toExponential(2)} (${worst.name})`,
  );
  expect(misses).toEqual([]);
}

/** `tag: value vs reference ± tolerance` for every IBSI reference the features do not match. */
export function ibsiMisses(features: Readonly<Record<string, number>>, references: readonly IbsiReference[]): string[] {
  return references
    .filter((r) => !matchesReference(features[r.tag] ?? Number.NaN, r))
    .map((r) => `${r.tag}: ${features[r.tag]} vs ${r.text} ± ${r.tolerance}`);
}

/** The first (cold) and the median of five more (warm) times of `f`, in ms. */
export function coldAndWarmMs(f: () => unknown): { readonly cold: number; readonly warm: number } {
  let start = performance.now();
  f();
  const cold = performance.now() - start;
  const warm: number[] = [];
  for (let n = 0; n < 5; n++) {
    start = performance.now();
    f();
    warm.push(performance.now() - start);
  }
  return { cold, warm: warm.sort((a, b) => a - b)[2]! };
}

/**
 * Expects `features` to match every IBSI reference of `references`, and logs how many match under
 * `label` (for example `IBSI cm 2D_avg`).
 */
export function expectIbsiAgreement(
  label: string,
  features: Readonly<Record<string, number>>,
  references: readonly IbsiReference[],
): void {
  const misses = ibsiMisses(features, references);
  // eslint-disable-next-line no-console -- test support: printed beside the test's result, as the tests print
  console.log(`${label}: ${references.length - misses.length} of ${references.length} match`);
  expect(misses).toEqual([]);
}
