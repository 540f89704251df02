import { RADLAB_MIME } from "../display/contract/mime-types";
import { progressPayloadSchema } from "../display/contract/progress-payload";
import type { DisplaySink } from "../display/display-sink";
import type { MimeBundle } from "../display/mime-bundle";
import type { CliStream } from "./cli-io";

/** Options of {@link createStderrProgressSink}. */
export interface StderrProgressOptions {
  /**
   * The least time between two lines of a running bar, in ms. Default 200 on a terminal (the line is
   * redrawn in place) and 10 000 otherwise (each update is a new line in a batch job's log).
   */
  readonly minIntervalMs?: number;
  /** A clock in milliseconds (default `Date.now`), for tests. */
  readonly clock?: () => number;
}

/**
 * A display sink for the command line: prints the `text/plain` line of each progress bar (and of
 * anything else displayed) to `stream`. On a terminal a bar's updates redraw one line in place
 * (`\r`, cut to the terminal's width); otherwise each update is a line of its own, throttled so
 * that a long batch job logs a line every few seconds. The first and the last state of a bar
 * (succeeded or failed) are always printed.
 *
 * @example
 * ```ts
 * import { deidentifyFolder } from "../deid/pipeline/deidentify-folder";
 * const report = await deidentifyFolder(input, output, {
 *   ...options,
 *   progressSink: createStderrProgressSink(process.stderr),
 * });
 * ```
 */
export function createStderrProgressSink(stream: CliStream, options: StderrProgressOptions = {}): DisplaySink {
  const tty = stream.isTTY === true;
  const minIntervalMs = options.minIntervalMs ?? (tty ? 200 : 10_000);
  const clock = options.clock ?? Date.now;
  const lastShown = new Map<string, number>();
  let open: string | undefined; // the display id whose line the terminal cursor stands on

  const print = (bundle: MimeBundle, displayId: string | undefined, first: boolean) => {
    const text = bundle.data["text/plain"];
    if (typeof text !== "string") return;
    const payload = progressPayloadSchema.safeParse(bundle.data[RADLAB_MIME.progress]);
    const finished = payload.ok && payload.value.status !== "running";
    if (displayId !== undefined && !first && !finished) {
      const last = lastShown.get(displayId);
      if (last !== undefined && clock() - last < minIntervalMs) return;
    }
    if (displayId !== undefined) lastShown.set(displayId, clock());
    if (!tty || displayId === undefined) {
      if (open !== undefined) stream.write("\n");
      open = undefined;
      stream.write(`${text}\n`);
      return;
    }
    if (open !== undefined && open !== displayId) stream.write("\n");
    const width = stream.columns;
    const line = width !== undefined && width > 1 && text.length >= width ? text.slice(0, width - 1) : text;
    stream.write(`\r${line}\x1b[K`);
    open = displayId;
    if (finished) {
      stream.write("\n");
      open = undefined;
      lastShown.delete(displayId);
    }
  };

  return {
    name: "stderr",
    show: (bundle, displayId) => print(bundle, displayId, true),
    update: (bundle, displayId) => print(bundle, displayId, false),
  };
}
