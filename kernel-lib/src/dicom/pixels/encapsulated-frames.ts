import { concatBytes } from "../bytes";
import { toUint8 } from "../dataset";

/** Whether a fragment starts a JPEG / JPEG-LS (SOI), JPEG 2000 (SOC or JP2 signature) codestream. */
function startsCodestream(fragment: Uint8Array): boolean {
  const [a, b, c, d] = fragment;
  if (a === 0xff && b === 0xd8) return true;
  if (a === 0xff && b === 0x4f && c === 0xff && d === 0x51) return true;
  return a === 0x00 && b === 0x00 && c === 0x00 && d === 0x0c;
}

/**
 * Groups the items of encapsulated Pixel Data into frames (PS3.5 A.4). dcmjs returns one buffer per
 * frame when the Basic Offset Table is filled, and the raw fragments when it is empty; then a single
 * frame is all fragments together, and several frames are told apart by the codestream start marker
 * each frame begins with.
 *
 * @returns One byte array per frame, or `null` when the fragments cannot be matched to frames.
 */
export function encapsulatedFrames(values: readonly unknown[], numberOfFrames: number): Uint8Array[] | null {
  const items = values.map((v) => (Array.isArray(v) ? concatBytes(v.map(toUint8)) : toUint8(v)));
  if (items.length === numberOfFrames) return items;
  if (numberOfFrames === 1) return [concatBytes(items)];
  const frames: Uint8Array[][] = [];
  for (const item of items) {
    if (frames.length === 0 || startsCodestream(item)) frames.push([item]);
    else frames[frames.length - 1]?.push(item);
  }
  return frames.length === numberOfFrames ? frames.map(concatBytes) : null;
}
