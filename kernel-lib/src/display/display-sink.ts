import { RadlabError } from "../core/radlab-error";
import type { MimeBundle } from "./mime-bundle";

/** Where displayed bundles go: the running kernel, or a capture for tests. */
export interface DisplaySink {
  /** A short name for messages, for example `tslab`. */
  readonly name: string;
  /** Shows a new output; with a display id it can be replaced later by {@link DisplaySink.update}. */
  show(bundle: MimeBundle, displayId: string | undefined): void;
  /** Replaces every output shown with this display id. */
  update(bundle: MimeBundle, displayId: string): void;
}

/** Thrown when something is displayed outside a notebook kernel and no sink was set. */
export class DisplayUnavailableError extends RadlabError {
  constructor() {
    super("display-unavailable", "There is no notebook kernel to display into.", {
      hint: "Run this in a tslab or Deno notebook, or call setDisplaySink() (for example with createCaptureSink()) first.",
    });
  }
}

type TslabWriter = (content: Record<string, unknown>, update: boolean) => void;

/**
 * Finds the display writer of the tslab kernel running this process. tslab keeps it in its own
 * `dist/jupyter.js` module; looking it up in Node's module cache finds the running copy even when
 * tslab is installed apart from radlab. It changes with each executed cell, so it is looked up on
 * every call.
 */
function tslabWriter(): TslabWriter | null {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const writer: unknown = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof writer === "function") return writer as TslabWriter;
  }
  return null;
}

function toContent(bundle: MimeBundle, displayId: string | undefined): Record<string, unknown> {
  return {
    data: bundle.data,
    metadata: bundle.metadata ?? {},
    transient: displayId === undefined ? {} : { display_id: displayId },
  };
}

const tslabSink: DisplaySink = {
  name: "tslab",
  show(bundle, displayId) {
    const writer = tslabWriter();
    if (writer === null) throw new DisplayUnavailableError();
    writer(toContent(bundle, displayId), false);
  },
  update(bundle, displayId) {
    const writer = tslabWriter();
    if (writer === null) throw new DisplayUnavailableError();
    writer(toContent(bundle, displayId), true);
  },
};

interface DenoJupyter {
  broadcast(msgType: string, content: Record<string, unknown>): Promise<void>;
}

function denoJupyter(): DenoJupyter | null {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  return typeof deno?.jupyter?.broadcast === "function" ? deno.jupyter : null;
}

function denoSink(jupyter: DenoJupyter): DisplaySink {
  return {
    name: "deno",
    show(bundle, displayId) {
      void jupyter.broadcast("display_data", toContent(bundle, displayId));
    },
    update(bundle, displayId) {
      void jupyter.broadcast("update_display_data", toContent(bundle, displayId));
    },
  };
}

let overrideSink: DisplaySink | null = null;

/**
 * Returns where displays go now: the sink set by {@link setDisplaySink}, else the running tslab or
 * Deno kernel, else `null`.
 */
export function currentDisplaySink(): DisplaySink | null {
  if (overrideSink !== null) return overrideSink;
  if (tslabWriter() !== null) return tslabSink;
  const deno = denoJupyter();
  return deno === null ? null : denoSink(deno);
}

/**
 * Sends displays to `sink` instead of the kernel (`null` restores the kernel).
 *
 * @returns The sink that was set before, to restore it.
 * @example
 * ```ts
 * import { createCaptureSink, setDisplaySink, display, table } from "@radlab/kernel";
 * const capture = createCaptureSink();
 * const previous = setDisplaySink(capture);
 * display(table([{ a: 1 }]));
 * setDisplaySink(previous);
 * capture.outputs.length; // 1
 * ```
 */
export function setDisplaySink(sink: DisplaySink | null): DisplaySink | null {
  const previous = overrideSink;
  overrideSink = sink;
  return previous;
}

/** One output recorded by a capture sink, after all updates were applied. */
export interface CapturedOutput {
  readonly displayId: string | undefined;
  bundle: MimeBundle;
  /** How many times this output was replaced through its display id. */
  updates: number;
}

/** A sink that records outputs as a notebook would show them: updates replace in place. */
export interface CaptureSink extends DisplaySink {
  readonly outputs: CapturedOutput[];
}

/** Creates a {@link CaptureSink}, for tests and for hosts other than a notebook. */
export function createCaptureSink(): CaptureSink {
  const outputs: CapturedOutput[] = [];
  return {
    name: "capture",
    outputs,
    show(bundle, displayId) {
      outputs.push({ displayId, bundle, updates: 0 });
    },
    update(bundle, displayId) {
      for (const output of outputs) {
        if (output.displayId === displayId) {
          output.bundle = bundle;
          output.updates += 1;
        }
      }
    },
  };
}
