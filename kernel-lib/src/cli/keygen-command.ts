import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import * as path from "node:path";
import { RadlabError } from "../core/radlab-error";
import { generateEncryptionKey } from "../deid/header/key-file";
import type { CliIo, ExitStatus } from "./cli-io";
import type { CommandSpec } from "./command-spec";
import type { ParsedCommandLine } from "./parse-command-line";

/** `radlab keygen`: its options. */
export const KEYGEN_COMMAND = {
  name: "keygen",
  summary:
    "Make a new random encryption key (32 bytes as 64 hex digits) for the re-identification key: " +
    "give it to `radlab deid --key <file>` or put it in RADLAB_DEID_KEY.",
  positionals: [],
  options: {
    out: {
      type: "string",
      value: "file",
      description: "write the key to this new file (mode 0600); without it the key is printed on stdout",
    },
  },
  notes: [
    "An existing file is never overwritten: a lost or replaced key makes the re-identification key unreadable. " +
      "Keep the key apart from the research data and from the vault's backups.",
  ],
} as const satisfies CommandSpec;

/**
 * `radlab keygen [--out <file>]`: writes a new key to a new file with mode 0600 (its folder is
 * created with mode 0700), or prints it on stdout.
 *
 * @returns 0.
 * @throws {@link RadlabError} `key-file-exists` when `--out` names an existing file;
 *   {@link UsageError} for a bad command line.
 */
export function keygenCommand(parsed: ParsedCommandLine<typeof KEYGEN_COMMAND>, io: CliIo): ExitStatus {
  const { options } = parsed;
  const key = generateEncryptionKey();
  if (options.out === undefined) {
    io.stdout.write(`${key}\n`);
    return 0;
  }
  const file = path.resolve(options.out);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600); // wx: fails when the file exists, even in a race
  } catch (error) {
    const exists = error instanceof Error && "code" in error && error.code === "EEXIST";
    throw new RadlabError(
      exists ? "key-file-exists" : "key-file-write",
      exists ? `Refusing to overwrite ${file}.` : `Cannot create ${file}.`,
      {
        file,
        cause: error,
        hint: exists
          ? "Give a new file name; replacing a key makes every vault saved with it unreadable."
          : "Give a path in a folder you can write to.",
      },
    );
  }
  try {
    writeSync(fd, `${key}\n`);
  } finally {
    closeSync(fd);
  }
  io.stderr.write(`Wrote a new encryption key to ${file} (mode 0600). Keep it apart from the research data.\n`);
  return 0;
}
