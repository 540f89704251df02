import { createHash } from "node:crypto";
import { existsSync, mkdirSync, promises as fsp, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** The SHA-256 of some bytes, as 64 lower-case hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Immutable, content-addressed files: `objects/ab/<sha256>.dcm` (256 folders: wide enough for
 * millions of objects, few enough that a new object seldom needs a new folder). A name says nothing about the
 * patient; an object is never rewritten; a write is atomic (temporary file, then rename), so a
 * crash leaves either the whole object or nothing.
 */
export class ObjectStore {
  /** Folders known to exist, so that a put costs one file write, not a mkdir per object. */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  /**
   * The path of an object, relative to the store's home. The extension says what it holds: `dcm`
   * for instances, `mask` for packed annotation masks, `manifest` for dataset manifests.
   */
  relativePath(sha256: string, extension = "dcm"): string {
    return path.join("objects", sha256.slice(0, 2), `${sha256}.${extension}`);
  }

  /** Stores bytes under their hash (nothing is written when the object exists) and returns the relative path. */
  put(bytes: Uint8Array, sha256 = sha256Hex(bytes), extension = "dcm"): string {
    const { relative, target, temporary } = this.prepare(sha256, extension);
    if (temporary === undefined) return relative;
    writeFileSync(temporary, bytes);
    renameSync(temporary, target);
    return relative;
  }

  /**
   * Like {@link ObjectStore.put}, but the write runs on Node's I/O threads while the caller goes
   * on; `written` settles when the object is in place. Await it before recording the object
   * anywhere (a row must never name an object that is not there).
   */
  putLater(
    bytes: Uint8Array,
    sha256 = sha256Hex(bytes),
  ): { readonly relative: string; readonly written: Promise<void> } {
    const { relative, target, temporary } = this.prepare(sha256);
    if (temporary === undefined) return { relative, written: Promise.resolve() };
    const written = fsp.writeFile(temporary, bytes).then(() => fsp.rename(temporary, target));
    written.catch(() => undefined); // handled where it is awaited
    return { relative, written };
  }

  private prepare(sha256: string, extension = "dcm"): { relative: string; target: string; temporary?: string } {
    const relative = this.relativePath(sha256, extension);
    const target = path.join(this.root, relative);
    if (existsSync(target)) return { relative, target };
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    return { relative, target, temporary: `${target}.partial-${process.pid}` };
  }

  /** The absolute path of an object. */
  absolutePath(relative: string): string {
    return path.join(this.root, relative);
  }
}
