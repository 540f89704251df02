import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  writeSync,
} from "node:fs";
import * as path from "node:path";
import { DeidError } from "./deid-error";
import { ReidentificationKey } from "./reidentification-key";

/** The environment variable that holds the encryption key (64 hex digits or base64 of 32 bytes). */
export const DEID_KEY_ENV = "RADLAB_DEID_KEY";

const FORMAT = "radlab-reidentification-key-file";

interface KeyFile {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly cipher: "aes-256-gcm";
  /** Identifies the encryption key (not secret): tells a wrong key from a tampered file. */
  readonly keyId: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/**
 * A new random 32-byte encryption key for {@link saveReidentificationKey}, as 64 hex digits (the form
 * {@link readEncryptionKey} reads from a file or from `RADLAB_DEID_KEY`).
 *
 * @example
 * ```ts
 * import { generateEncryptionKey } from "@radlab/kernel";
 * generateEncryptionKey().length; // 64
 * ```
 */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString("hex");
}

/**
 * Reads the AES-256 key that protects the re-identification key: from `file` when given, otherwise
 * from the environment variable `RADLAB_DEID_KEY`. Either holds 64 hex digits or the base64 of 32
 * bytes (a file may also hold the 32 raw bytes).
 *
 * @throws {@link DeidError} `reid-key-missing-key` when neither is set; `reid-key-format` when the
 *   value is not 32 bytes.
 * @example
 * ```ts
 * import { readEncryptionKey } from "@radlab/kernel";
 * const encryptionKey = readEncryptionKey({ file: "/secure/radlab-deid.key" });
 * ```
 */
export function readEncryptionKey(
  source: { readonly file?: string; readonly env?: Readonly<Record<string, string | undefined>> } = {},
): Uint8Array {
  if (source.file !== undefined) {
    let raw: Buffer;
    try {
      raw = readFileSync(source.file);
    } catch (error) {
      throw new DeidError("reid-key-missing-key", `Cannot read the encryption key file ${source.file}.`, {
        file: source.file,
        cause: error,
        hint: "Give the path of the file that holds the 32-byte key (64 hex digits).",
      });
    }
    if (raw.byteLength === 32) return new Uint8Array(raw);
    return decodeKey(raw.toString("utf8"), source.file);
  }
  const value = (source.env ?? process.env)[DEID_KEY_ENV];
  if (value === undefined || value.trim() === "") {
    throw new DeidError("reid-key-missing-key", `No encryption key for the re-identification key.`, {
      hint: `Set ${DEID_KEY_ENV} to 64 hex digits (generateEncryptionKey() makes one) or pass --key <file>.`,
    });
  }
  return decodeKey(value, `$${DEID_KEY_ENV}`);
}

function decodeKey(text: string, where: string): Uint8Array {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t)
    ? Buffer.from(t, "hex")
    : /^[A-Za-z0-9+/]{43}=$/.test(t)
      ? Buffer.from(t, "base64")
      : undefined;
  if (bytes === undefined || bytes.byteLength !== 32) {
    throw new DeidError("reid-key-format", `The encryption key in ${where} is not 32 bytes in hex or base64.`, {
      file: where,
      hint: "Use 64 hex digits; generateEncryptionKey() makes a key of the right form.",
    });
  }
  return new Uint8Array(bytes);
}

function keyId(encryptionKey: Uint8Array): string {
  return createHash("sha256").update("radlab-deid-key-id\0").update(encryptionKey).digest("hex").slice(0, 16);
}

function checkKey(encryptionKey: Uint8Array): void {
  if (encryptionKey.byteLength !== 32)
    throw new DeidError("reid-key-format", `An AES-256 key has 32 bytes, not ${encryptionKey.byteLength}.`, {
      hint: "Read it with readEncryptionKey().",
    });
}

/**
 * Encrypts the re-identification key (AES-256-GCM, authenticated) and writes it atomically to
 * `file` (a temporary file in the same folder, flushed, then renamed; mode 0600; the folder is created
 * with mode 0700 when missing). Refuses a location
 * inside any of `outputFolders`: the key must not travel with the research data.
 *
 * @throws {@link DeidError} `reid-key-location` for a path inside an output folder; `reid-key-format`
 *   for an encryption key that is not 32 bytes.
 * @example
 * ```ts
 * import { ReidentificationKey, readEncryptionKey, saveReidentificationKey } from "@radlab/kernel";
 * saveReidentificationKey(ReidentificationKey.create(), "/secure/study.reid", {
 *   encryptionKey: readEncryptionKey(),
 *   outputFolders: ["/data/research-store"],
 * });
 * ```
 */
export function saveReidentificationKey(
  key: ReidentificationKey,
  file: string,
  options: { readonly encryptionKey: Uint8Array; readonly outputFolders: readonly string[] },
): void {
  checkKey(options.encryptionKey);
  const target = path.resolve(file);
  const folder = realFolder(path.dirname(target));
  for (const output of options.outputFolders) {
    const out = realFolder(path.resolve(output));
    const relative = path.relative(out, path.join(folder, path.basename(target)));
    if (relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))) {
      throw new DeidError(
        "reid-key-location",
        `Refusing to write the re-identification key to ${target}: it is inside the output folder ${output}.`,
        {
          file: target,
          hint: "Keep the key apart from the research data, in a folder that is not shared with it.",
        },
      );
    }
  }
  const iv = randomBytes(12);
  const id = keyId(options.encryptionKey);
  const cipher = createCipheriv("aes-256-gcm", options.encryptionKey, iv);
  cipher.setAAD(Buffer.from(`${FORMAT}/1/${id}`));
  const data = Buffer.concat([cipher.update(JSON.stringify(key.toData()), "utf8"), cipher.final()]);
  const content: KeyFile = {
    format: FORMAT,
    version: 1,
    cipher: "aes-256-gcm",
    keyId: id,
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = path.join(folder, `.${path.basename(target)}.partial-${process.pid}`);
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(content));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
}

/**
 * Reads and decrypts a key written by {@link saveReidentificationKey}.
 *
 * @throws {@link DeidError} `reid-key-wrong-key` when the file was encrypted with another key;
 *   `reid-key-tampered` when its content fails authentication; `reid-key-format` when it is not a
 *   key file.
 * @example
 * ```ts
 * import { loadReidentificationKey, readEncryptionKey } from "@radlab/kernel";
 * const key = loadReidentificationKey("/secure/study.reid", readEncryptionKey());
 * ```
 */
export function loadReidentificationKey(file: string, encryptionKey: Uint8Array): ReidentificationKey {
  checkKey(encryptionKey);
  let content: Partial<KeyFile>;
  try {
    content = JSON.parse(readFileSync(file, "utf8")) as Partial<KeyFile>;
  } catch (error) {
    throw new DeidError("reid-key-format", `Cannot read ${file} as a re-identification key file.`, {
      file,
      cause: error,
      hint: "Give the file written by saveReidentificationKey.",
    });
  }
  if (
    content.format !== FORMAT ||
    content.version !== 1 ||
    typeof content.iv !== "string" ||
    typeof content.tag !== "string" ||
    typeof content.data !== "string" ||
    typeof content.keyId !== "string"
  ) {
    throw new DeidError("reid-key-format", `${file} is not a radlab re-identification key file.`, { file });
  }
  const id = keyId(encryptionKey);
  if (content.keyId !== id) {
    throw new DeidError("reid-key-wrong-key", `${file} was encrypted with another key (key id ${content.keyId}).`, {
      file,
      hint: `Use the encryption key this file was saved with (its id is ${content.keyId}; the one given has ${id}).`,
    });
  }
  let plain: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", encryptionKey, Buffer.from(content.iv, "base64"));
    decipher.setAAD(Buffer.from(`${FORMAT}/1/${content.keyId}`));
    decipher.setAuthTag(Buffer.from(content.tag, "base64"));
    plain = Buffer.concat([decipher.update(Buffer.from(content.data, "base64")), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new DeidError("reid-key-tampered", `${file} failed authentication: it was changed or corrupted.`, {
      file,
      cause: error,
      hint: "Restore the key file from its backup; a changed key cannot be trusted to re-identify anyone.",
    });
  }
  return ReidentificationKey.fromData(JSON.parse(plain));
}

/** The real path of a folder, or of its nearest existing ancestor joined with the rest. */
function realFolder(folder: string): string {
  if (existsSync(folder)) return realpathSync(folder);
  const parent = path.dirname(folder);
  if (parent === folder) return folder;
  return path.join(realFolder(parent), path.basename(folder));
}
