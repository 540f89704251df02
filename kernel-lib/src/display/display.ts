import { randomUUID } from "node:crypto";
import { currentDisplaySink, DisplayUnavailableError, type DisplaySink } from "./display-sink";
import { dataFrameTable, isDataFrameLike, type DataFrameLike } from "./data-frame-table";
import type { Displayable, MimeBundle } from "./mime-bundle";

/** What {@link display} accepts: a radlab displayable, a danfo.js DataFrame (shown as a table), or text. */
export type DisplayInput = Displayable | DataFrameLike | string;

function bundleOf(value: DisplayInput): MimeBundle {
  if (typeof value === "string") return { data: { "text/plain": value } };
  if (isDataFrameLike(value)) return dataFrameTable(value).toMimeBundle();
  return value.toMimeBundle();
}

function requireSink(): DisplaySink {
  const sink = currentDisplaySink();
  if (sink === null) throw new DisplayUnavailableError();
  return sink;
}

/**
 * Shows a value in the notebook: its radlab MIME type, rendered by the JupyterLab extension, and
 * the static fallbacks that keep saved notebooks readable elsewhere.
 *
 * @param value - a displayable (a table, a progress bar, ...) or text.
 * @throws {@link DisplayUnavailableError} outside a notebook kernel when no sink was set.
 * @example
 * ```ts
 * import { display, table } from "@radlab/kernel";
 * display(table([{ finding: "Pneumothorax", images: 12 }]));
 * ```
 */
export function display(value: DisplayInput): void {
  requireSink().show(bundleOf(value), undefined);
}

/** An output that can be replaced in place, created by {@link liveDisplay}. */
export interface LiveDisplay {
  /** The Jupyter display id shared by every update. */
  readonly displayId: string;
  /** Replaces the output with a new value. */
  update(value: DisplayInput): void;
}

/**
 * Shows a value that later updates in place (Jupyter's `display_id`), for progress and live plots.
 *
 * @throws {@link DisplayUnavailableError} outside a notebook kernel when no sink was set.
 * @example
 * ```ts
 * import { liveDisplay } from "@radlab/kernel";
 * const status = liveDisplay("epoch 1 of 10");
 * status.update("epoch 2 of 10");
 * ```
 */
export function liveDisplay(initial: DisplayInput): LiveDisplay {
  const sink = requireSink();
  const displayId = `radlab-${randomUUID()}`;
  sink.show(bundleOf(initial), displayId);
  return {
    displayId,
    update(value) {
      sink.update(bundleOf(value), displayId);
    },
  };
}
