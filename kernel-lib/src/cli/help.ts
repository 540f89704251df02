import { codeVersion } from "../core/environment";
import type { CommandSpec } from "./command-spec";
import { DEID_COMMAND } from "./deid-command";
import { INGEST_COMMAND } from "./ingest-command";
import { KEYGEN_COMMAND } from "./keygen-command";
import { PREDICT_COMMAND } from "./predict-command";

/** Every command of `radlab`, in the order `radlab help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [DEID_COMMAND, INGEST_COMMAND, KEYGEN_COMMAND, PREDICT_COMMAND];

/** The usage line of `radlab` itself. */
export const RADLAB_USAGE = "usage: radlab <command> [options]   (commands: deid, ingest, keygen, predict, help)";

const ONE_LINE: Readonly<Record<string, string>> = {
  deid: "de-identify a folder of DICOM files (Basic Profile + Clean Pixel Data by default) with a quarantine",
  ingest: "ingest a de-identified folder (or PNG images with --images) into the research store",
  keygen: "make a new encryption key for the re-identification key",
  predict: "score DICOM files or PNG images with a saved model: one CSV row per image",
};

/** What `radlab help` and `radlab --help` print. */
export function radlabHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    RADLAB_USAGE,
    "",
    "radlab's command line: the same engine as the @radlab/kernel library, for batch jobs and services.",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${ONE_LINE[c.name] ?? c.summary}`),
    "",
    "`radlab help <command>` (or `radlab <command> --help`) shows a command's options; `radlab --version` the version.",
    "Set RADLAB_DEBUG=1 to see stack traces of errors.",
    "",
  ].join("\n");
}

/** What `radlab --version` prints: the `@radlab/kernel` package version. */
export function radlabVersion(): string {
  return `radlab ${codeVersion().packageVersion}\n`;
}
