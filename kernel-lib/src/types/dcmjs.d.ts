// The part of dcmjs's untyped API that radlab uses (dcmjs 0.52 ships no type declarations).
// Internal: no public radlab type refers to these.
declare module "dcmjs" {
  /** One element of dcmjs's "denaturalized" dataset (the DICOM JSON model shape). */
  export interface DcmjsElement {
    vr: string;
    Value?: unknown[];
    InlineBinary?: string;
    _rawValue?: unknown;
  }
  export type DcmjsDict = Record<string, DcmjsElement>;
  export interface DicomDict {
    meta: DcmjsDict;
    dict: DcmjsDict;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  export interface ReadOptions {
    ignoreErrors?: boolean;
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }
  /** dcmjs's internal read stream (only what the sequence patch uses). */
  export interface ReadStream {
    offset: number;
    size: number;
    readUint16(): number;
    readUint32(): number;
    more(length: number): ReadStream;
    end(): boolean;
  }
  export interface ValueRepresentationInstance {
    type: string;
    readBytes(stream: ReadStream, length: number, syntax: string): unknown;
    read(stream: ReadStream, length: number, syntax: string, options?: unknown): { rawValue: unknown; value: unknown };
  }
  export const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: ReadOptions): DicomDict;
      _read(stream: ReadStream, syntax: string, options?: ReadOptions): DcmjsDict;
      _readTag(
        stream: ReadStream,
        syntax: string,
        options?: ReadOptions,
      ): { tag: { toCleanString(): string }; vr: { type: string }; values: unknown[]; rawValues: unknown };
    };
    DicomDict: new (meta: DcmjsDict) => DicomDict;
    ValueRepresentation: {
      createByTypeString(type: string): ValueRepresentationInstance;
      parseUnknownVr(type: string): ValueRepresentationInstance;
    };
  };
  export const log: { setLevel(level: string): void; getLogger(name: string): { setLevel(level: string): void } };
}
