import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { endianness } from "node:os";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import { canonicalJson } from "../core/canonical-json";
import { RadlabError } from "../core/radlab-error";
import { parsePipeline } from "./parse-pipeline";
import { deterministicPrefix, type Pipeline } from "./pipeline";
import { pipelineHash } from "./pipeline-hash";
import { runSteps, type PipelineContext, type PipelineInput } from "./run-pipeline";
import { checkTransformImage, type TransformImage } from "./transform-image";

/** The first bytes of every cache file: the format and its version. */
const MAGIC = Buffer.from("RLF32v1\n", "latin1");

const LITTLE_ENDIAN = endianness() === "LE";

/** How a {@link PipelineCache} has been used since it was created. */
export interface PipelineCacheStats {
  /** Outputs read from disk. */
  readonly hits: number;
  /** Outputs computed (absent, or present but unreadable). */
  readonly misses: number;
  /** Files found unreadable (bad header, wrong key, truncated, checksum mismatch) and recomputed; counted in `misses` too. */
  readonly corrupt: number;
}

/** One instance for {@link PipelineCache.run}: its content hash and how to load it on a miss. */
export interface CachedInstance {
  /** The SHA-256 of the instance's bytes, 64 lowercase hex digits (the store's object name). */
  readonly sha256: string;
  /** Loads the input; called only when the output is not cached. */
  readonly load: () => PipelineInput | Promise<PipelineInput>;
}

/**
 * Caches the deterministic part of a pipeline (every step before the first `augment`) on disk,
 * per instance, so that later epochs skip decoding and resizing. An output is a file
 * `<folder>/<prefix hash>/<ab>/<sha256>.f32`, where the prefix hash is
 * `pipelineHash(deterministicPrefix(pipeline))` (so changing only augmentation keeps the cache)
 * and `ab` is the first two hex digits of the instance's SHA-256.
 *
 * A file is a header (`RLF32v1\n`, a little-endian uint32 length, canonical JSON with the
 * pipeline hash, instance hash, shape, photometric interpretation and the CRC-32 of the values)
 * followed by the float32 values, little-endian. Writes go to a temporary file that is then
 * renamed, so a reader never sees half a file, even with several processes. A file that does not
 * match its key, its shape or its checksum is recomputed and replaced.
 *
 * @example
 * ```ts
 * import { openStore, PipelineCache, readDicom } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * const cache = new PipelineCache(path.join(store.home, "cache", "transforms"));
 * const image = await cache.run(
 *   pipeline,
 *   { sha256, load: () => readDicom(readFileSync(store.objects.absolutePath(store.objects.relativePath(sha256)))) },
 *   { epoch, sampleIndex },
 * );
 * cache.stats; // { hits: 0, misses: 1, corrupt: 0 }
 * ```
 */
export class PipelineCache {
  private readonly counts = { hits: 0, misses: 0, corrupt: 0 };

  /** @param folder - where the cache lives, for example `<store home>/cache/transforms`; created on first write. */
  constructor(readonly folder: string) {}

  /** A snapshot of the counts. */
  get stats(): PipelineCacheStats {
    return Object.freeze({ ...this.counts });
  }

  /**
   * Where the output of `pipeline`'s deterministic prefix for one instance is (or would be) stored.
   *
   * @throws {@link TransformSpecError} `transform-spec` for an invalid pipeline;
   *   {@link RadlabError} `transform-cache` when `sha256` is not 64 lowercase hex digits.
   */
  pathOf(pipeline: Pipeline, sha256: string): string {
    return this.fileOf(pipelineHash(deterministicPrefix(parsePipeline(pipeline))), sha256);
  }

  /**
   * Runs a pipeline on one instance: the deterministic prefix from the cache (computing and
   * storing it on a miss), then `augment` and the steps after it with `context`.
   *
   * @returns A new image, as {@link runPipeline} returns it; identical values whether cached or not.
   * @throws {@link TransformSpecError} `transform-spec` for an invalid pipeline;
   *   {@link RadlabError} `transform-cache` for a malformed `sha256` or a failed write (naming the
   *   file); and whatever `load` and the steps throw.
   */
  async run(pipeline: Pipeline, instance: CachedInstance, context: PipelineContext = {}): Promise<TransformImage> {
    const parsed = parsePipeline(pipeline);
    const prefix = deterministicPrefix(parsed);
    const rest = parsed.steps.slice(prefix.steps.length);
    if (prefix.steps.length === 0) return runSteps(rest, await instance.load(), context);
    const key = pipelineHash(prefix);
    const file = this.fileOf(key, instance.sha256);
    let image = this.read(file, key, instance.sha256);
    if (image === undefined) {
      this.counts.misses++;
      image = await runSteps(prefix.steps, await instance.load(), context);
      this.write(file, key, instance.sha256, image);
    } else {
      this.counts.hits++;
    }
    return rest.length === 0 ? image : runSteps(rest, image, context);
  }

  private fileOf(key: string, sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new RadlabError("transform-cache", `${JSON.stringify(sha256)} is not an instance's SHA-256.`, {
        hint: "Pass the instance's content hash as 64 lowercase hex digits (the store's sha256 column).",
      });
    }
    return path.join(this.folder, key, sha256.slice(0, 2), `${sha256}.f32`);
  }

  /** The cached image, or `undefined` when the file is absent or does not verify. */
  private read(file: string, key: string, sha256: string): TransformImage | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return undefined;
    }
    const image = decodeCacheFile(bytes, key, sha256);
    if (image === undefined) this.counts.corrupt++;
    return image;
  }

  private write(file: string, key: string, sha256: string, image: TransformImage): void {
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temporary, encodeCacheFile(image, key, sha256));
      renameSync(temporary, file);
    } catch (cause) {
      rmSync(temporary, { force: true });
      throw new RadlabError("transform-cache", `Cannot write the cached preprocessing output ${file}.`, {
        file,
        cause,
        hint: "Check that the cache folder is writable and the disk has space, or run without the cache.",
      });
    }
  }
}

interface CacheHeader {
  readonly crc32: number;
  readonly photometricInterpretation: string;
  readonly pipeline: string;
  readonly sha256: string;
  readonly shape: readonly number[];
}

function encodeCacheFile(image: TransformImage, key: string, sha256: string): Buffer {
  const values = floatBytes(image.data);
  const header: CacheHeader = {
    crc32: crc32(values),
    photometricInterpretation: image.photometricInterpretation,
    pipeline: key,
    sha256,
    shape: [...image.shape],
  };
  let json = canonicalJson(header);
  // Pad with spaces so the values start on a 4-byte boundary.
  json += " ".repeat((4 - ((MAGIC.length + 4 + Buffer.byteLength(json)) % 4)) % 4);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(Buffer.byteLength(json));
  return Buffer.concat([MAGIC, length, Buffer.from(json, "utf8"), values]);
}

function decodeCacheFile(bytes: Buffer, key: string, sha256: string): TransformImage | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLength;
  if (start > bytes.length) return undefined;
  let header: Partial<CacheHeader>;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, start).toString("utf8")) as Partial<CacheHeader>;
  } catch {
    return undefined;
  }
  const shape = header.shape;
  if (header.pipeline !== key || header.sha256 !== sha256 || !Array.isArray(shape) || shape.length !== 3)
    return undefined;
  const [rows, columns, channels] = shape;
  if (![rows, columns, channels].every((n) => typeof n === "number" && Number.isInteger(n) && n > 0)) return undefined;
  const count = (rows ?? 0) * (columns ?? 0) * (channels ?? 0);
  if (bytes.length - start !== 4 * count) return undefined;
  const values = bytes.subarray(start);
  if (crc32(values) !== header.crc32) return undefined;
  const data = new Float32Array(count);
  if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(values);
  else for (let i = 0; i < count; i++) data[i] = values.readFloatLE(4 * i);
  try {
    return checkTransformImage(
      {
        data,
        shape: [rows ?? 0, columns ?? 0, channels ?? 0],
        photometricInterpretation: header.photometricInterpretation as TransformImage["photometricInterpretation"],
      },
      "A cached output",
    );
  } catch {
    return undefined;
  }
}

/** The values as little-endian float32 bytes. */
function floatBytes(data: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out = Buffer.alloc(data.length * 4);
  data.forEach((v, i) => out.writeFloatLE(v, 4 * i));
  return out;
}
