import type { ProgressPayload } from "./progress-payload";

/** Formats seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * The one-line summary used by the text and HTML fallbacks and by the extension, for example
 * `Reading images: 401/802 files, 0:03 elapsed, ~0:03 left` while running and
 * `Reading images: 802/802 files in 0:06, succeeded (3.5 MiB read)` at the end.
 */
export function progressSummary(p: ProgressPayload): string {
  const count = p.total === null ? `${p.done} ${p.unit}` : `${p.done}/${p.total} ${p.unit}`;
  if (p.status !== "running") {
    const message = p.message === undefined ? "" : ` (${p.message})`;
    return `${p.label}: ${count} in ${formatDuration(p.elapsedSeconds)}, ${p.status}${message}`;
  }
  const eta = p.etaSeconds === null ? "" : `, ~${formatDuration(p.etaSeconds)} left`;
  const message = p.message === undefined ? "" : ` (${p.message})`;
  return `${p.label}: ${count}, ${formatDuration(p.elapsedSeconds)} elapsed${eta}${message}`;
}
