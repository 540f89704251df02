/**
 * Rank statistics for exploring features against labels and each other: average ranks with
 * ties, Spearman and Pearson correlation, the Mann-Whitney U test (as an AUC and a two-sided
 * p-value) and Benjamini-Hochberg q-values. Values that are not finite are left out pairwise.
 */

/** Ranks from 1, ties given their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let n = start; n <= end; n++) ranks[order[n]!] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Pearson's correlation of the pairs where both are finite; `NaN` when either is constant or fewer than 3 pairs. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]!);
      ys.push(y[i]!);
    }
  }
  const n = xs.length;
  if (n < 3) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation (Pearson's on average ranks) of the finite pairs. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const keep = x.map((v, i) => Number.isFinite(v) && Number.isFinite(y[i]));
  const xs = x.filter((_, i) => keep[i]);
  const ys = y.filter((_, i) => keep[i]);
  return pearson(averageRanks(xs), averageRanks(ys));
}

/** The standard normal upper tail P(Z > z), from erfc (Numerical Recipes' erfcc, relative error < 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** The Mann-Whitney U test of `positive` against `negative`. */
export interface MannWhitney {
  /** P(positive > negative) + P(equal) / 2: the AUC of the feature as a score for `positive`. */
  readonly auc: number;
  readonly u: number;
  /** Two-sided p-value, normal approximation with tie and continuity correction. */
  readonly p: number;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum): does the feature tend to be higher in one group?
 * `NaN` AUC and p when a group has no finite value.
 *
 * @example
 * ```ts
 * import { mannWhitney } from "@radlab/kernel";
 * mannWhitney([3, 4, 5], [1, 2, 3]).auc; // 0.944...
 * ```
 */
export function mannWhitney(positive: readonly number[], negative: readonly number[]): MannWhitney {
  const a = positive.filter(Number.isFinite);
  const b = negative.filter(Number.isFinite);
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { auc: Number.NaN, u: Number.NaN, p: Number.NaN, positives: n1, negatives: n2 };
  const all = [...a, ...b];
  const ranks = averageRanks(all);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const counts = new Map<number, number>();
  for (const v of all) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * t * t - t;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const mean = (n1 * n2) / 2;
  const z = variance > 0 ? Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance) : 0;
  return {
    auc: u / (n1 * n2),
    u,
    p: variance > 0 ? Math.min(1, 2 * normalUpperTail(z)) : 1,
    positives: n1,
    negatives: n2,
  };
}

/**
 * Benjamini-Hochberg q-values (false discovery rate) of p-values, in the input's order; `NaN`
 * p-values stay `NaN` and are not counted.
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const idx = p
    .map((_, i) => i)
    .filter((i) => Number.isFinite(p[i]))
    .sort((a, b) => p[a]! - p[b]!);
  const m = idx.length;
  const q = p.map(() => Number.NaN);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r]!;
    running = Math.min(running, (p[i]! * m) / (r + 1));
    q[i] = running;
  }
  return q;
}
