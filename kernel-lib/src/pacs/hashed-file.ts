import { createHash, randomBytes, type Hash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { readDicomFile } from "../dicom/read";
import { PacsError } from "./pacs-error";

/** One DICOM instance written to disk by a retrieve, named by the SHA-256 of its bytes. */
export interface RetrievedInstance {
  /** Absolute path: `{folder}/{sha256}.dcm`. Never a name derived from patient identifiers. */
  readonly file: string;
  /** SHA-256 of the file's bytes, lower-case hex. */
  readonly sha256: string;
  readonly bytes: number;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
}

/**
 * Streams one instance to a temporary file in the target folder while hashing it, then renames it
 * to `{sha256}.dcm` (atomic on one file system; an existing file of that name already holds the
 * same bytes, so it is kept and the copy dropped).
 */
export class HashedFileWriter {
  private readonly hash: Hash = createHash("sha256");
  private readonly temp: string;
  private readonly fd: number;
  private size = 0;
  private closed = false;

  constructor(readonly folder: string) {
    fs.mkdirSync(folder, { recursive: true });
    this.temp = path.join(folder, `.partial-${process.pid}-${randomBytes(6).toString("hex")}`);
    this.fd = fs.openSync(this.temp, "w");
  }

  /** Appends bytes. Writes are synchronous: the body stream is paused meanwhile, which is the back-pressure. */
  write(bytes: Uint8Array): void {
    this.hash.update(bytes);
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(this.fd, bytes, offset, bytes.length - offset);
    this.size += bytes.length;
  }

  /** Drops the temporary file (after a failed transfer). */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    fs.rmSync(this.temp, { force: true });
  }

  /**
   * Closes, checks that the bytes are a DICOM Part 10 file, and renames to `{sha256}.dcm`.
   *
   * @throws {@link PacsError} `bad-response` when the bytes are not a DICOM file with Study,
   *   Series and SOP Instance UIDs (the temporary file is removed).
   */
  finish(source: string): RetrievedInstance {
    this.closed = true;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    const sha256 = this.hash.digest("hex");
    let uids: [string, string, string, string];
    try {
      const ds = readDicomFile(this.temp, { headerOnly: true });
      uids = [
        ds.stringOrThrow("StudyInstanceUID"),
        ds.stringOrThrow("SeriesInstanceUID"),
        ds.stringOrThrow("SOPInstanceUID"),
        ds.transferSyntaxUid,
      ];
    } catch (cause) {
      fs.rmSync(this.temp, { force: true });
      throw new PacsError("bad-response", `${source} sent ${this.size} bytes that are not a DICOM instance.`, {
        url: source,
        cause,
        hint: "The server sent something other than application/dicom; check its WADO-RS support.",
      });
    }
    const file = path.join(this.folder, `${sha256}.dcm`);
    if (fs.existsSync(file)) fs.rmSync(this.temp);
    else fs.renameSync(this.temp, file);
    const [studyInstanceUid, seriesInstanceUid, sopInstanceUid, transferSyntaxUid] = uids;
    return Object.freeze({
      file,
      sha256,
      bytes: this.size,
      studyInstanceUid,
      seriesInstanceUid,
      sopInstanceUid,
      transferSyntaxUid,
    });
  }
}

/**
 * Moves a finished file (for example one written by a DIMSE receiver) into `folder` as
 * `{sha256}.dcm`, hashing it on the way; as {@link HashedFileWriter.finish}.
 */
export async function adoptFile(temp: string, folder: string, source: string): Promise<RetrievedInstance> {
  const writer = new HashedFileWriter(folder);
  try {
    for await (const chunk of fs.createReadStream(temp, { highWaterMark: 1 << 20 })) writer.write(chunk as Buffer);
  } catch (error) {
    writer.discard();
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return writer.finish(source);
}
