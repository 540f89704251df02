import { describe, expect, it } from "vitest";
import { DecodeFailure } from "./decode-error";
import { WasmModule, type EmbindDecoder, type EmscriptenOptions } from "./wasm-module";

/** A stand-in for an Emscripten module whose decoder runs `behaviour` and counts deletions. */
function fakeModule(behaviour: (options: EmscriptenOptions) => void) {
  const counts = { instances: 0, deleted: 0 };
  const factory = async (options?: EmscriptenOptions) => {
    counts.instances += 1;
    const print = options ?? { print() {}, printErr() {} };
    const decoder: EmbindDecoder = {
      getEncodedBuffer: (length) => new Uint8ClampedArray(length),
      getDecodedBuffer: () => new Uint8ClampedArray([1, 2, 3]),
      decode: () => behaviour(print),
      delete: () => {
        counts.deleted += 1;
      },
    };
    return { decoder };
  };
  return { factory, counts };
}

const read = (decoder: EmbindDecoder) => Array.from(decoder.getDecodedBuffer());

describe("WasmModule", () => {
  it("instantiates once, frees every decoder and keeps only warnings and errors", async () => {
    const { factory, counts } = fakeModule((options) => {
      options.print("[INFO] Start to read j2k main header (0).");
      options.printErr("[ERROR] Marker handler function failed to read the marker segment");
    });
    const module = new WasmModule("Fake (WASM)", async () => factory);
    await expect(
      module.decode(
        (m) => m.decoder,
        new Uint8Array(4),
        () => "",
        read,
      ),
    ).resolves.toEqual([1, 2, 3]);
    await expect(
      module.decode(
        (m) => m.decoder,
        new Uint8Array(4),
        () => "",
        (decoder) => [read(decoder), module.diagnostics()],
      ),
    ).resolves.toEqual([
      [1, 2, 3],
      " (Fake (WASM) said: [ERROR] Marker handler function failed to read the marker segment)",
    ]);
    expect(counts).toEqual({ instances: 1, deleted: 2 });
  });

  it("turns a thrown exception into a DecodeFailure and still frees the decoder", async () => {
    const { factory, counts } = fakeModule(() => {
      throw 5243904; // how Emscripten code throws a C++ exception
    });
    const module = new WasmModule("Fake (WASM)", async () => factory);
    const error = await module
      .decode(
        (m) => m.decoder,
        new Uint8Array(4),
        (thrown) => `threw ${String(thrown)}`,
        read,
      )
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DecodeFailure);
    expect(error).toMatchObject({ message: "threw 5243904", cause: 5243904 });
    expect(counts.deleted).toBe(1);
  });

  it("starts a new instance after a WebAssembly runtime error (an abort)", async () => {
    let abort = true;
    const { factory, counts } = fakeModule(() => {
      if (abort) throw Object.assign(new Error("Aborted(OOM)"), { name: "RuntimeError" });
    });
    const module = new WasmModule("Fake (WASM)", async () => factory);
    await expect(
      module.decode(
        (m) => m.decoder,
        new Uint8Array(4),
        () => "aborted",
        read,
      ),
    ).rejects.toThrow("aborted");
    abort = false;
    await expect(
      module.decode(
        (m) => m.decoder,
        new Uint8Array(4),
        () => "",
        read,
      ),
    ).resolves.toEqual([1, 2, 3]);
    expect(counts.instances).toBe(2);
  });

  it("reports a module that cannot be loaded, and tries again on the next call", async () => {
    const { factory } = fakeModule(() => {});
    let attempts = 0;
    const module = new WasmModule("Fake (WASM)", async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("ENOENT: fakewasm.wasm");
      return factory;
    });
    const error = await module.instance().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DecodeFailure);
    expect((error as DecodeFailure).message).toBe("the Fake (WASM) module could not be loaded: ENOENT: fakewasm.wasm");
    expect((error as DecodeFailure).hint).toBe(
      "Reinstall @radlab/kernel's dependencies (npm install); the codec's .wasm file must sit beside its .js file.",
    );
    await expect(module.instance()).resolves.toHaveProperty("decoder");
    expect(attempts).toBe(2);
  });
});
