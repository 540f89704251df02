import { availableParallelism } from "node:os";
import { createWorker, type Worker } from "tesseract.js";
import engData from "@tesseract.js-data/eng";
import type { GreyImage, OcrLine, OcrWord, TextReader } from "./ocr-types";
import { PixelDeidError } from "./pixel-deid-error";

/** Options of {@link createOcrPool}. */
export interface OcrPoolOptions {
  /** How many tesseract.js workers (threads) to run; default: the number of cores, at most 4. */
  readonly workers?: number;
  /**
   * The folder (or URL) holding `eng.traineddata.gz`; default the offline copy in
   * `@tesseract.js-data/eng`. Never left to tesseract.js's default, which fetches from a CDN.
   */
  readonly langPath?: string;
  /** How long creating one worker (loading the language data) may take; default 60 s. */
  readonly createTimeoutMs?: number;
  /** How long reading one image may take; default 120 s. */
  readonly recogniseTimeoutMs?: number;
}

/**
 * A fixed set of tesseract.js workers shared by every image read through it. Reads queue for a
 * free worker; a worker that times out is terminated and replaced. Call
 * {@link OcrPool.terminate} when done: the workers are threads that keep Node running.
 */
export interface OcrPool extends TextReader {
  /** The number of workers the pool was created with. */
  readonly size: number;
  /** Stops every worker; later reads fail with `ocr-pool-closed`. Safe to call twice. */
  terminate(): Promise<void>;
}

/**
 * Creates a pool of tesseract.js 7 workers reading English with the LSTM engine, offline.
 * Worker creation and each read are bounded by timeouts that end in a {@link PixelDeidError}
 * `ocr-timeout` instead of a hang (tesseract.js's `createWorker` never settles when it cannot
 * fetch the language data).
 *
 * @throws {@link PixelDeidError} `ocr-timeout` or `ocr-failed` when a worker cannot be created.
 * @example
 * ```ts
 * import { createOcrPool } from "@radlab/kernel";
 * const pool = await createOcrPool({ workers: 2 });
 * try {
 *   const lines = await pool.read({ width: 2, height: 1, pixels: new Uint8Array([0, 0]) });
 *   lines.length; // 0
 * } finally {
 *   await pool.terminate();
 * }
 * ```
 */
export async function createOcrPool(options: OcrPoolOptions = {}): Promise<OcrPool> {
  const size = Math.max(1, Math.trunc(options.workers ?? Math.min(4, availableParallelism())));
  const settings: PoolSettings = {
    langPath: options.langPath ?? engData.langPath,
    createTimeoutMs: options.createTimeoutMs ?? 60_000,
    recogniseTimeoutMs: options.recogniseTimeoutMs ?? 120_000,
  };
  const created = await Promise.allSettled(Array.from({ length: size }, () => spawn(settings)));
  const workers = created.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failure = created.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure !== undefined) {
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
    throw failure.reason;
  }
  return new TesseractPool(workers, settings);
}

interface PoolSettings {
  readonly langPath: string;
  readonly createTimeoutMs: number;
  readonly recogniseTimeoutMs: number;
}

async function spawn(settings: PoolSettings): Promise<Worker> {
  let failed: unknown;
  const pending = createWorker("eng", 1, {
    langPath: settings.langPath,
    gzip: true,
    // The data is read from disk each time; no cache folder is written.
    cacheMethod: "none",
    // Without a handler, tesseract.js throws worker errors from a message listener (uncaught).
    errorHandler: (error: unknown) => {
      failed = error;
    },
  });
  try {
    const worker = await withTimeout(
      pending,
      settings.createTimeoutMs,
      () =>
        new PixelDeidError(
          "ocr-timeout",
          `Creating a tesseract.js worker took longer than ${settings.createTimeoutMs} ms (language data from ${settings.langPath}).`,
          {
            hint: "Check that langPath is a local folder holding eng.traineddata.gz (the @tesseract.js-data/eng package), or raise createTimeoutMs.",
          },
        ),
    );
    await worker.setParameters({ user_defined_dpi: "300" });
    return worker;
  } catch (error) {
    // A worker that finishes loading after its timeout is stopped then.
    pending.then((w) => w.terminate()).catch(() => undefined);
    if (error instanceof PixelDeidError) throw error;
    throw new PixelDeidError("ocr-failed", `tesseract.js could not create a worker: ${describe(failed ?? error)}.`, {
      hint: "Check that langPath holds eng.traineddata.gz.",
      cause: error,
    });
  }
}

class TesseractPool implements OcrPool {
  readonly size: number;
  private readonly idle: Worker[];
  private readonly waiting: ((worker: Worker | undefined) => void)[] = [];
  private live: number;
  private closed = false;

  constructor(
    workers: Worker[],
    private readonly settings: PoolSettings,
  ) {
    this.size = workers.length;
    this.idle = [...workers];
    this.live = workers.length;
  }

  async read(image: GreyImage): Promise<readonly OcrLine[]> {
    const worker = await this.acquire();
    let healthy = true;
    try {
      const result = await withTimeout(
        worker.recognize(Buffer.from(toPgm(image)), {}, { blocks: true, text: false }),
        this.settings.recogniseTimeoutMs,
        () => {
          healthy = false;
          return new PixelDeidError(
            "ocr-timeout",
            `Reading a ${image.width}x${image.height} image took longer than ${this.settings.recogniseTimeoutMs} ms.`,
            { hint: "Raise recogniseTimeoutMs, or read smaller images." },
          );
        },
      );
      return toLines(result.data.blocks ?? []);
    } catch (error) {
      if (error instanceof PixelDeidError) throw error;
      throw new PixelDeidError(
        "ocr-failed",
        `tesseract.js failed to read a ${image.width}x${image.height} image: ${describe(error)}.`,
        {
          cause: error,
        },
      );
    } finally {
      if (healthy) this.release(worker);
      else this.replace(worker);
    }
  }

  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake(undefined);
    const workers = this.idle.splice(0);
    this.live -= workers.length;
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
  }

  private acquire(): Promise<Worker> {
    if (this.closed) return Promise.reject(closedError());
    const worker = this.idle.pop();
    if (worker !== undefined) return Promise.resolve(worker);
    if (this.live === 0) {
      return Promise.reject(
        new PixelDeidError("ocr-failed", "Every OCR worker of the pool failed and none could be replaced.", {
          hint: "Create a new pool with createOcrPool.",
        }),
      );
    }
    return new Promise((resolve, reject) =>
      this.waiting.push((w) => (w === undefined ? reject(closedError()) : resolve(w))),
    );
  }

  private release(worker: Worker): void {
    if (this.closed) {
      this.live -= 1;
      void worker.terminate().catch(() => undefined);
      return;
    }
    const next = this.waiting.shift();
    if (next !== undefined) next(worker);
    else this.idle.push(worker);
  }

  private replace(worker: Worker): void {
    this.live -= 1;
    void worker.terminate().catch(() => undefined);
    if (this.closed) return;
    spawn(this.settings).then(
      (fresh) => {
        this.live += 1;
        this.release(fresh);
      },
      () => {
        // The pool shrinks; when no worker is left, queued reads fail instead of waiting forever.
        if (this.live === 0) for (const wake of this.waiting.splice(0)) wake(undefined);
      },
    );
  }
}

function closedError(): PixelDeidError {
  return new PixelDeidError("ocr-pool-closed", "The OCR pool was terminated.", {
    hint: "Create a new pool with createOcrPool.",
  });
}

/** Races `promise` against a timer; the timer is cleared either way. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A binary PGM (P5), which leptonica reads without decompression. */
function toPgm(image: GreyImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.pixels.length);
  out.set(header, 0);
  out.set(image.pixels, header.length);
  return out;
}

interface TesseractBlock {
  readonly paragraphs: readonly {
    readonly lines: readonly {
      readonly text: string;
      readonly bbox: TesseractBbox;
      readonly words: readonly { readonly text: string; readonly confidence: number; readonly bbox: TesseractBbox }[];
    }[];
  }[];
}

interface TesseractBbox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function toLines(blocks: readonly TesseractBlock[]): OcrLine[] {
  const box = (b: TesseractBbox) => ({ left: b.x0, top: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 });
  return blocks.flatMap((block) =>
    block.paragraphs.flatMap((paragraph) =>
      paragraph.lines.map((line) => {
        const words: OcrWord[] = line.words
          .filter((w) => w.text.trim() !== "")
          .map((w) => ({ text: w.text.trim(), confidence: w.confidence, box: box(w.bbox) }));
        return { text: words.map((w) => w.text).join(" "), words, box: box(line.bbox) };
      }),
    ),
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
