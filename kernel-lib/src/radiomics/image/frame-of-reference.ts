import { RadiomicsError } from "../radiomics-error";

/**
 * Checks that a mask source (an RT Structure Set ROI, a segmentation) lies in the image's frame of
 * reference (0020,0052) Frame of Reference UID, when both name one: voxels of another frame are
 * other places in the patient, or another patient.
 *
 * @param what - the mask source as the message names it, for example `ROI "GTV"`.
 * @param evidence - the file, the tag that gave `maskUid`, and how to fix a mismatch.
 * @throws {@link RadiomicsError} `geometry` when the two frames differ.
 *
 * @example
 * ```ts
 * assertSameFrameOfReference("1.2.3", "1.2.3", 'ROI "GTV"', {
 *   file: "rtstruct.dcm",
 *   tag: "(3006,0024) Referenced Frame of Reference UID",
 *   hint: "Draw the structure set on the series it was made for.",
 * }); // passes
 * ```
 */
export function assertSameFrameOfReference(
  imageUid: string | undefined,
  maskUid: string | undefined,
  what: string,
  evidence: { readonly file: string; readonly tag: string; readonly hint: string },
): void {
  if (imageUid === undefined || maskUid === undefined || imageUid === maskUid) return;
  throw new RadiomicsError("geometry", `${what} is in frame of reference ${maskUid}, the image in ${imageUid}`, {
    file: evidence.file,
    tag: evidence.tag,
    hint: evidence.hint,
  });
}
