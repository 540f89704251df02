import { RadlabError } from "../../core/radlab-error";
import { DicomError } from "../dicom-errors";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import { describeTransferSyntax } from "./transfer-syntaxes";

const PIXEL_DATA_TAG = "(7FE0,0010) Pixel Data";

const DEFAULT_HINT =
  "Check that (0002,0010) Transfer Syntax UID matches the encapsulated pixel data and that the file is complete; " +
  "if the frame is damaged, export the image again from its source.";

/**
 * Why a codec could not decode a frame, thrown inside the codecs and turned into a `RadlabError`
 * by {@link defineFrameDecoder}.
 */
export class DecodeFailure extends Error {
  /** The codec that failed when it is not the decoder's own name (one decoder may use two codecs). */
  readonly codec: string | undefined;
  /** How to fix the problem, when it is more specific than the default hint. */
  readonly hint: string | undefined;

  /**
   * @param message - what went wrong, in lower case; it follows "Cannot decode a … frame with …: ".
   * @param options - the codec, when not the decoder's own; a hint; the underlying error.
   */
  constructor(message: string, options: { codec?: string; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DecodeFailure";
    this.codec = options.codec;
    this.hint = options.hint;
  }
}

/**
 * The message of anything thrown: an Error's message, or the value itself (WASM code throws numbers).
 *
 * @param thrown - the caught value.
 */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  return `${typeof thrown} ${String(thrown)}`;
}

/**
 * A frozen {@link FrameDecoder} for one transfer syntax whose failures all reject with a
 * `RadlabError` of code `pixel-decode`, naming the codec and the transfer syntax, with the
 * underlying error (or the {@link DecodeFailure} that describes it) as `cause`.
 *
 * @param transferSyntax - the (0002,0010) Transfer Syntax UID the decoder serves.
 * @param name - the decoder's name, also the codec named in messages unless a DecodeFailure names another.
 * @param decode - the decoding function; it throws DecodeFailure (or anything else) to fail.
 */
export function defineFrameDecoder(
  transferSyntax: string,
  name: string,
  decode: (frame: Uint8Array, info: FrameInfo) => DecodedFrame | Promise<DecodedFrame>,
): FrameDecoder {
  return Object.freeze({
    transferSyntaxes: Object.freeze([transferSyntax]),
    name,
    async decode(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
      try {
        return await decode(frame, info);
      } catch (error) {
        throw pixelDecodeError(transferSyntax, name, error);
      }
    },
  });
}

function pixelDecodeError(transferSyntax: string, name: string, error: unknown): RadlabError {
  if (error instanceof RadlabError) return error;
  const failure = error instanceof DecodeFailure ? error : undefined;
  const codec = failure?.codec ?? name;
  return new DicomError(
    "pixel-decode",
    `Cannot decode a ${describeTransferSyntax(transferSyntax)} frame with ${codec}: ${describeThrown(error)}`,
    { tag: PIXEL_DATA_TAG, hint: failure?.hint ?? DEFAULT_HINT, cause: failure?.cause ?? error },
  );
}
