// The parts of the cornerstonejs codec packages that radlab uses; the packages ship no type
// declarations. Each entry is an Emscripten factory that loads the .wasm file beside it.
// Internal: no public radlab type refers to these.

declare module "@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs" {
  export interface JpegTurboFrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  export interface JPEGDecoder {
    getEncodedBuffer(length: number): Uint8ClampedArray;
    getDecodedBuffer(): Uint8ClampedArray;
    readHeader(): void;
    decode(): void;
    getFrameInfo(): JpegTurboFrameInfo;
    delete(): void;
  }
  export interface JpegTurboModule {
    JPEGDecoder: new () => JPEGDecoder;
  }
  const factory: (options?: { print?(text: string): void; printErr?(text: string): void }) => Promise<JpegTurboModule>;
  export default factory;
}

declare module "@cornerstonejs/codec-charls/decodewasmjs" {
  export interface CharlsFrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
  }
  export interface JpegLSDecoder {
    getEncodedBuffer(length: number): Uint8ClampedArray;
    getDecodedBuffer(): Uint8ClampedArray;
    decode(): void;
    getFrameInfo(): CharlsFrameInfo;
    /** 0 none (planar output), 1 line, 2 sample (both interleaved output). */
    getInterleaveMode(): number;
    getNearLossless(): number;
    delete(): void;
  }
  export interface CharlsModule {
    JpegLSDecoder: new () => JpegLSDecoder;
    /** The message of a C++ exception, given the number that `decode` threw. */
    getExceptionMessage(exception: number): string;
  }
  const factory: (options?: { print?(text: string): void; printErr?(text: string): void }) => Promise<CharlsModule>;
  export default factory;
}

declare module "@cornerstonejs/codec-openjpeg/decodewasmjs" {
  export interface OpenJpegFrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  export interface J2KDecoder {
    getEncodedBuffer(length: number): Uint8ClampedArray;
    getDecodedBuffer(): Uint8ClampedArray;
    decode(): void;
    getFrameInfo(): OpenJpegFrameInfo;
    getIsReversible(): boolean;
    delete(): void;
  }
  export interface OpenJpegModule {
    J2KDecoder: new () => J2KDecoder;
  }
  const factory: (options?: { print?(text: string): void; printErr?(text: string): void }) => Promise<OpenJpegModule>;
  export default factory;
}

declare module "@cornerstonejs/codec-openjph/wasmjs" {
  export interface OpenJphFrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
    isUsingColorTransform: boolean;
  }
  export interface HTJ2KDecoder {
    getEncodedBuffer(length: number): Uint8ClampedArray;
    getDecodedBuffer(): Uint8ClampedArray;
    decode(): void;
    getFrameInfo(): OpenJphFrameInfo;
    getIsReversible(): boolean;
    /** Empty when the last call succeeded. */
    getLastErrorMessage(): string;
    delete(): void;
  }
  export interface OpenJphModule {
    HTJ2KDecoder: new () => HTJ2KDecoder;
  }
  const factory: (options?: { print?(text: string): void; printErr?(text: string): void }) => Promise<OpenJphModule>;
  export default factory;
}
