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
  export const data: {
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: ReadOptions): DicomDict };
    DicomDict: new (meta: DcmjsDict) => DicomDict;
  };
  export const log: { setLevel(level: string): void; getLogger(name: string): { setLevel(level: string): void } };
}
