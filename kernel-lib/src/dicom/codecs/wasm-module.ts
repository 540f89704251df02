import { DecodeFailure, describeThrown } from "./decode-error";

/** The options radlab passes to an Emscripten module factory. */
export interface EmscriptenOptions {
  print(text: string): void;
  printErr(text: string): void;
}

/** An Emscripten module factory, the default export of each codec package's entry. */
export type EmscriptenFactory<M> = (options?: EmscriptenOptions) => Promise<M>;

/** How many of a codec's most recent diagnostic lines are kept for error messages. */
const KEPT_MESSAGES = 8;

/**
 * One Emscripten codec module, instantiated on first use and then shared. Its diagnostic output
 * (OpenJPEG prints progress to stdout) is kept for error messages instead of reaching the console.
 */
export class WasmModule<M> {
  private pending: Promise<M> | undefined;
  private readonly messages: string[] = [];

  /**
   * @param codec - the codec's name for messages, for example `OpenJPEG (WASM)`.
   * @param load - imports the package's Emscripten factory (called once, lazily).
   */
  constructor(
    private readonly codec: string,
    private readonly load: () => Promise<EmscriptenFactory<M>>,
  ) {}

  /**
   * The instantiated module. A failed instantiation is not cached, so a later call tries again.
   *
   * @throws DecodeFailure when the package or its `.wasm` file cannot be loaded.
   */
  instance(): Promise<M> {
    if (this.pending === undefined) {
      // Progress lines (OpenJPEG's [INFO]) are dropped; warnings and errors are kept for messages.
      const keep = (text: string) => {
        if (!/error|warn|fail/i.test(text)) return;
        this.messages.push(text.trim());
        if (this.messages.length > KEPT_MESSAGES) this.messages.shift();
      };
      const options: EmscriptenOptions = { print: keep, printErr: keep };
      this.pending = this.load()
        .then((factory) => factory(options))
        .catch((error: unknown) => {
          this.pending = undefined;
          throw new DecodeFailure(`the ${this.codec} module could not be loaded: ${describeThrown(error)}`, {
            cause: error,
            hint: "Reinstall @radlab/kernel's dependencies (npm install); the codec's .wasm file must sit beside its .js file.",
          });
        });
    }
    return this.pending;
  }

  /**
   * Decodes one frame with a new decoder of this module (see {@link withDecoder}). A WebAssembly
   * runtime error (an abort, memory exhausted) discards the module, so the next call starts afresh.
   *
   * @param create - makes the decoder from the module (`(m) => new m.J2KDecoder()`).
   * @param frame - the encoded frame.
   * @param describeException - turns what `decode` threw into a message.
   * @param read - reads the samples out of WASM memory; may call {@link WasmModule.diagnostics}.
   * @returns what `read` returns.
   * @throws DecodeFailure when the module cannot be loaded or the codec fails.
   */
  async decode<D extends EmbindDecoder, R>(
    create: (module: M) => D,
    frame: Uint8Array,
    describeException: (thrown: unknown, module: M) => string,
    read: (decoder: D) => R,
  ): Promise<R> {
    const module = await this.instance();
    this.messages.length = 0;
    try {
      return withDecoder(
        () => create(module),
        frame,
        (thrown) => `${describeException(thrown, module)}${this.diagnostics()}`,
        read,
      );
    } catch (error) {
      if (isWasmRuntimeError(error) || (error instanceof Error && isWasmRuntimeError(error.cause))) {
        this.pending = undefined;
      }
      throw error;
    }
  }

  /** The warnings and errors the codec printed during the current decode, as ` (… said: …)`, or "". */
  diagnostics(): string {
    return this.messages.length === 0 ? "" : ` (${this.codec} said: ${this.messages.join("; ")})`;
  }
}

/** The Embind decoder objects of the cornerstonejs codec packages share this shape. */
export interface EmbindDecoder {
  getEncodedBuffer(length: number): Uint8ClampedArray;
  getDecodedBuffer(): Uint8ClampedArray;
  decode(): void;
  delete(): void;
}

/**
 * Copies `frame` into a new Embind decoder's memory, runs `decode`, hands the decoder to `read`
 * and frees it, whatever happens.
 *
 * @param create - makes the decoder (`new module.J2KDecoder()`).
 * @param frame - the encoded frame.
 * @param describeException - turns what `decode` threw into a message.
 * @param read - reads the decoded samples out of WASM memory (they are freed afterwards).
 * @returns what `read` returns.
 * @throws DecodeFailure when the codec throws; C++ exceptions arrive as numbers, described with
 *   `describeException` when the module can.
 */
export function withDecoder<D extends EmbindDecoder, R>(
  create: () => D,
  frame: Uint8Array,
  describeException: (thrown: unknown) => string,
  read: (decoder: D) => R,
): R {
  const decoder = create();
  let result: R;
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    try {
      decoder.decode();
    } catch (error) {
      throw new DecodeFailure(describeException(error), { cause: error });
    }
    result = read(decoder);
  } catch (error) {
    try {
      decoder.delete();
    } catch {
      // After an abort the module cannot free memory either; the first error is the one to report.
    }
    throw error;
  }
  decoder.delete();
  return result;
}

/** WebAssembly.RuntimeError (an Emscripten abort, a trap), told by name: Node's types do not declare it. */
function isWasmRuntimeError(error: unknown): boolean {
  return error instanceof Error && error.name === "RuntimeError";
}
