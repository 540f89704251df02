import { RadlabError } from "../core/radlab-error";
import { RADLAB_MIME } from "./contract/mime-types";
import type { ProgressPayload, ProgressStatus } from "./contract/progress-payload";
import { currentDisplaySink, type DisplaySink } from "./display-sink";
import { progressSummary } from "./contract/progress-summary";
import { escapeHtml } from "./html";
import { DisplayableValue, type MimeBundle } from "./mime-bundle";
import { randomUUID } from "node:crypto";

/** Options of {@link progress}. */
export interface ProgressOptions {
  /** What is being done, for example `Ingesting nih1000`. */
  readonly label: string;
  /** How many units there are in all; omit when unknown. */
  readonly total?: number;
  /** What is counted (default `items`). */
  readonly unit?: string;
  /** The least time between two updates of the notebook output, in ms (default 250). */
  readonly minIntervalMs?: number;
  /** Where the bar is shown (default: the running kernel; `null`: nowhere, counting only). */
  readonly sink?: DisplaySink | null;
  /** A clock in milliseconds (default `Date.now`), for tests. */
  readonly clock?: () => number;
}

/**
 * A progress bar for long work, updated in place in the notebook, with elapsed time and ETA.
 * Outside a kernel it counts without showing anything. Create it with {@link progress}.
 */
export class Progress extends DisplayableValue {
  readonly label: string;
  readonly unit: string;
  readonly total: number | null;
  private doneCount = 0;
  private statusValue: ProgressStatus = "running";
  private messageValue: string | undefined;
  private readonly startedAt: number;
  private endedAt: number | null = null;
  private lastShownAt = -Infinity;
  private readonly clock: () => number;
  private readonly minIntervalMs: number;
  private readonly sink: DisplaySink | null;
  private readonly displayId = `radlab-progress-${randomUUID()}`;

  constructor(options: ProgressOptions) {
    super();
    if (options.total !== undefined && (!Number.isFinite(options.total) || options.total < 0)) {
      throw new RadlabError("progress-options", `total must be a number >= 0, got ${options.total}.`, {
        hint: "Omit total when the amount of work is not known.",
      });
    }
    this.label = options.label;
    this.unit = options.unit ?? "items";
    this.total = options.total ?? null;
    this.clock = options.clock ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.sink = options.sink === undefined ? currentDisplaySink() : options.sink;
    this.startedAt = this.clock();
  }

  /** How many units are done. */
  get done(): number {
    return this.doneCount;
  }

  /** The state: `running`, `succeeded` or `failed`. */
  get status(): ProgressStatus {
    return this.statusValue;
  }

  /** Counts `count` more units done (default 1). */
  advance(count = 1): void {
    this.set(this.doneCount + count);
  }

  /** Sets how many units are done. */
  set(done: number): void {
    if (this.statusValue !== "running") {
      throw new RadlabError("progress-ended", `Progress "${this.label}" has already ${this.statusValue}.`, {
        hint: "Create a new progress() for new work.",
      });
    }
    this.doneCount = done;
    this.show(false);
  }

  /** Marks the work as finished successfully, with an optional closing message. */
  succeed(message?: string): void {
    this.end("succeeded", message);
  }

  /** Marks the work as failed with the reason; the bar stays visible with it. */
  fail(message: string): void {
    this.end("failed", message);
  }

  /** The current state as a contract payload. */
  payload(): ProgressPayload {
    const now = this.endedAt ?? this.clock();
    const elapsedSeconds = Math.max(0, (now - this.startedAt) / 1000);
    let etaSeconds: number | null = null;
    if (this.statusValue !== "running") etaSeconds = 0;
    else if (this.total !== null && this.doneCount > 0 && elapsedSeconds > 0) {
      etaSeconds = Math.max(0, ((this.total - this.doneCount) * elapsedSeconds) / this.doneCount);
    }
    return {
      version: 1,
      label: this.label,
      unit: this.unit,
      done: this.doneCount,
      total: this.total,
      elapsedSeconds,
      etaSeconds,
      status: this.statusValue,
      ...(this.messageValue === undefined ? {} : { message: this.messageValue }),
    };
  }

  toMimeBundle(): MimeBundle {
    const payload = this.payload();
    return {
      data: {
        [RADLAB_MIME.progress]: payload as unknown as Record<string, unknown>,
        "text/html": progressHtml(payload),
        "text/plain": progressText(payload),
      },
    };
  }

  /** Shows the bar for the first time; called by {@link progress}. */
  start(): this {
    this.sink?.show(this.toMimeBundle(), this.displayId);
    this.lastShownAt = this.clock();
    return this;
  }

  private end(status: ProgressStatus, message: string | undefined): void {
    if (this.statusValue !== "running") return;
    this.statusValue = status;
    this.messageValue = message;
    this.endedAt = this.clock();
    this.show(true);
  }

  private show(force: boolean): void {
    const now = this.clock();
    if (!force && now - this.lastShownAt < this.minIntervalMs) return;
    this.lastShownAt = now;
    this.sink?.update(this.toMimeBundle(), this.displayId);
  }
}

/**
 * Starts a progress bar in the notebook; advance it as work is done, then `succeed()` or `fail()`.
 *
 * @example
 * ```ts
 * import { progress } from "@radlab/kernel";
 * const bar = progress({ label: "Decoding", total: 3, unit: "files" });
 * for (const file of ["a.dcm", "b.dcm", "c.dcm"]) bar.advance();
 * bar.succeed("3 files decoded");
 * ```
 */
export function progress(options: ProgressOptions): Progress {
  return new Progress(options).start();
}

function progressText(p: ProgressPayload): string {
  const width = 30;
  const fraction =
    p.total === null || p.total === 0 ? (p.status === "succeeded" ? 1 : 0) : Math.min(1, p.done / p.total);
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${progressSummary(p)}`;
}

function progressHtml(p: ProgressPayload): string {
  const max = p.total ?? 0;
  const bar = p.total === null ? "<progress></progress>" : `<progress value="${p.done}" max="${max}"></progress>`;
  return `<div class="radlab-progress">${bar} <span>${escapeHtml(progressSummary(p))}</span></div>`;
}
