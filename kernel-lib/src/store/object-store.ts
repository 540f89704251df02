import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** The SHA-256 of some bytes, as 64 lower-case hex digits. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Immutable, content-addressed files: `objects/ab/cd/<sha256>.dcm`. A name says nothing about the
 * patient; an object is never rewritten; a write is atomic (temporary file, then rename), so a
 * crash leaves either the whole object or nothing.
 */
export class ObjectStore {
  constructor(readonly root: string) {}

  /** The path of an object, relative to the store's home. */
  relativePath(sha256: string): string {
    return path.join("objects", sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.dcm`);
  }

  /** Stores bytes under their hash (nothing is written when the object exists) and returns the relative path. */
  put(bytes: Uint8Array, sha256 = sha256Hex(bytes)): string {
    const relative = this.relativePath(sha256);
    const target = path.join(this.root, relative);
    if (existsSync(target)) return relative;
    mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.partial-${process.pid}`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, target);
    return relative;
  }

  /** The absolute path of an object. */
  absolutePath(relative: string): string {
    return path.join(this.root, relative);
  }
}
