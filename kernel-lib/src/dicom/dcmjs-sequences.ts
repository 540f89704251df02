import * as dcmjs from "dcmjs";
import { IMPLICIT_VR_LITTLE_ENDIAN } from "./transfer-syntax";

const UNDEFINED = 0xffffffff;

/** What the sequence reader repaired during the current read; read.ts collects and clears it. */
export const sequenceRepairs: string[] = [];

/**
 * Replaces how dcmjs reads sequences, once per process. dcmjs finds the end of an item of
 * undefined length by scanning 16-bit words for (FFFE,E00D); after a value of odd length the scan
 * is misaligned and runs off the end (pydicom's nested_priv_SQ.dcm). Here items are read element by
 * element, as PS3.5 7.5 describes them. It also reads an element whose VR is UN with undefined
 * length as the sequence it is, encoded in Implicit VR Little Endian (PS3.5 6.2.2).
 */
export function patchDcmjsSequences(): void {
  const VR = dcmjs.data.ValueRepresentation;
  const sequence = Object.getPrototypeOf(VR.createByTypeString("SQ")) as dcmjs.ValueRepresentationInstance & {
    __radlab?: true;
  };
  if (sequence.__radlab === true) return;
  sequence.__radlab = true;
  sequence.readBytes = readSequence;
  for (const unknown of [VR.createByTypeString("UN"), VR.parseUnknownVr("SQ")]) {
    const proto = Object.getPrototypeOf(unknown) as dcmjs.ValueRepresentationInstance;
    const read = proto.read;
    proto.read = function (this: dcmjs.ValueRepresentationInstance, stream, length, syntax, options) {
      if (length !== UNDEFINED) return read.call(this, stream, length, syntax, options);
      const items = readSequence(stream, length, IMPLICIT_VR_LITTLE_ENDIAN);
      return { rawValue: undefined, value: items };
    };
  }
}

function readSequence(stream: dcmjs.ReadStream, length: number, syntax: string): dcmjs.DcmjsDict[] {
  const items: dcmjs.DcmjsDict[] = [];
  if (length === 0) return items;
  const end = length === UNDEFINED ? Number.POSITIVE_INFINITY : stream.offset + length;
  const sequenceFits = end <= stream.offset + remaining(stream);
  while (stream.offset < end && !stream.end()) {
    const at = stream.offset;
    const group = stream.readUint16();
    const element = stream.readUint16();
    const itemLength = stream.readUint32();
    if (group === 0xfffe && element === 0xe0dd) break; // sequence delimitation item
    if (group !== 0xfffe || element !== 0xe000) {
      throw new Error(`Invalid tag (${hex(group)},${hex(element)}) in a sequence at byte ${at}`);
    }
    if (itemLength === UNDEFINED) {
      items.push(readItem(stream, syntax));
      continue;
    }
    const available = Math.min(end, stream.offset + remaining(stream)) - stream.offset;
    if (itemLength > available) {
      // An item longer than its sequence, in a sequence that fits in the file, is read to the
      // sequence's end (as pydicom does) and reported. Past the end of the file it is truncation.
      if (!sequenceFits) throw new RangeError(`an item at byte ${at} runs past the end of the data`);
      sequenceRepairs.push(
        `an item at byte ${at} declares ${itemLength} bytes but only ${available} remain in its sequence: read ${available}`,
      );
    }
    const kept = Math.min(itemLength, available);
    items.push(dcmjs.data.DicomMessage._read(stream.more(kept), syntax));
  }
  return items;
}

function remaining(stream: dcmjs.ReadStream): number {
  return stream.size - stream.offset;
}

/** Reads the elements of an item of undefined length up to its (FFFE,E00D) delimitation item. */
function readItem(stream: dcmjs.ReadStream, syntax: string): dcmjs.DcmjsDict {
  const item: dcmjs.DcmjsDict = {};
  while (!stream.end()) {
    const at = stream.offset;
    if (stream.readUint16() === 0xfffe && stream.readUint16() === 0xe00d) {
      stream.readUint32();
      return item;
    }
    stream.offset = at;
    const info = dcmjs.data.DicomMessage._readTag(stream, syntax);
    const values = info.values;
    // An element read as UN that holds items is a sequence.
    const vr = info.vr.type === "UN" && values.length > 0 && values.every(isItem) ? "SQ" : info.vr.type;
    item[info.tag.toCleanString()] = { vr, Value: values };
  }
  throw new Error("Item of undefined length without its (FFFE,E00D) delimitation item");
}

function isItem(value: unknown): boolean {
  return typeof value === "object" && value !== null && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value);
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * Marks elements read as UN whose values are items (a sequence of undefined length, PS3.5 6.2.2)
 * as SQ, recursively, in place.
 */
export function markUnknownSequences(dict: dcmjs.DcmjsDict): void {
  for (const element of Object.values(dict)) {
    const values = element.Value ?? [];
    if (element.vr === "UN" && values.length > 0 && values.every(isItem)) element.vr = "SQ";
    if (element.vr === "SQ") for (const item of values) if (isItem(item)) markUnknownSequences(item as dcmjs.DcmjsDict);
  }
}
