import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { RadlabError } from "../core/radlab-error";
import { readEncryptionKey } from "../deid/header/key-file";
import { BASIC_PROFILE, loadDeidProfileFile, parseDeidProfile, type DeidProfile } from "../deid/header/profile";
import { deidentifyFolder } from "../deid/pipeline/deidentify-folder";
import { readEnrollmentFile } from "../pacs/enrollment";
import { envValue, homeFolder, type CliIo, type ExitStatus } from "./cli-io";
import type { CommandSpec } from "./command-spec";
import type { ParsedCommandLine } from "./parse-command-line";
import { createStderrProgressSink } from "./stderr-progress-sink";

/** The environment variable that names the re-identification key file (the "vault"). */
export const DEID_VAULT_ENV = "RADLAB_DEID_VAULT";

/**
 * The profile `radlab deid` uses without `--profile`: the Basic Profile with Clean Pixel Data, so
 * that ultrasound and screen captures have their burned-in text found and masked, and any image
 * whose pixels cannot be proven clean is quarantined (fail closed).
 */
export const CLI_DEFAULT_PROFILE: DeidProfile = parseDeidProfile({
  ...BASIC_PROFILE,
  name: "ps3.15-basic-clean-pixel-data",
  options: ["clean-pixel-data"],
});

/** `radlab deid`: its arguments and options. */
export const DEID_COMMAND = {
  name: "deid",
  summary:
    "De-identify every file under <input> into <output> with the same engine as deidentifyFolder(): " +
    "each instance is de-identified and verified; what passed is written under new identifiers and " +
    "listed in the output's manifest (what `radlab ingest` admits), what did not is quarantined with its reason.",
  positionals: [
    { name: "input", description: "the folder of DICOM files to de-identify (read only)" },
    { name: "output", description: "the folder for de-identified files (outside <input>)" },
  ],
  options: {
    profile: {
      type: "string",
      value: "file",
      description: "a de-identification profile (JSON); default: Basic Profile + Clean Pixel Data",
    },
    enrollment: {
      type: "string",
      value: "csv",
      description: "enrollment list: patient IDs or accession numbers with their research IDs",
    },
    key: {
      type: "string",
      value: "file",
      description: "the encryption key file (64 hex digits); default $RADLAB_DEID_KEY",
    },
    vault: {
      type: "string",
      value: "file",
      description: `the re-identification key file; default $${DEID_VAULT_ENV} or ~/.radlab/deid/reidentification.key`,
    },
    reports: {
      type: "string",
      value: "folder",
      description: "where the run report goes; default reports/ beside the vault",
    },
    mapping: {
      type: "string",
      value: "folder",
      description: "also write uid_mapping.csv and patid_mapping.csv (TCIA MIDI-B form) here",
    },
    "scan-all-pixels": { type: "boolean", description: "OCR every image for burned-in text, not only likely ones" },
    json: { type: "boolean", description: "print the run report as JSON on stdout instead of the summary" },
  },
  notes: [
    "The default profile fails closed: images that may carry burned-in text (Burned In Annotation YES, or " +
      "absent on US, SC, OT, XA, RF and DX/CR screen captures) are read by OCR and masked, and quarantined " +
      "when they cannot be verified clean. A --profile without clean-pixel-data quarantines them instead.",
    "The vault (original IDs, UIDs and date offsets), the reports and the mappings link to real identities: " +
      "keep them apart from <output>; the engine refuses to write them inside it. Re-running the same command " +
      "resumes: files already in the output's manifest are skipped.",
    "Progress and the quarantine list go to stderr, the summary to stdout. Exit status: 0 when every file " +
      "passed, 1 when any was quarantined, 2 for a usage error or bad input (key, profile, enrollment, folders).",
  ],
} as const satisfies CommandSpec;

/**
 * `radlab deid <input> <output> [options]`: runs {@link deidentifyFolder} with progress on stderr,
 * prints the summary (or the report JSON) on stdout and the quarantine list on stderr.
 *
 * @returns 0 when every file passed, 1 when any was quarantined.
 * @throws {@link UsageError} for a bad command line; the `RadlabError`s of the key, profile,
 *   enrollment and folders (the caller prints them and exits 2).
 */
export async function deidCommand(parsed: ParsedCommandLine<typeof DEID_COMMAND>, io: CliIo): Promise<ExitStatus> {
  const [input = "", output = ""] = parsed.positionals;
  const o = parsed.options;
  if (!existsSync(input) || !statSync(input).isDirectory()) {
    throw new RadlabError("not-a-folder", `The input ${input} is not a folder.`, {
      file: input,
      hint: "Give the folder that holds the DICOM files to de-identify.",
    });
  }
  const vault =
    o.vault ?? envValue(io, DEID_VAULT_ENV) ?? path.join(homeFolder(io), ".radlab", "deid", "reidentification.key");
  const encryptionKey = o.key === undefined ? readEncryptionKey({ env: io.env }) : readEncryptionKey({ file: o.key });
  const profile = o.profile === undefined ? CLI_DEFAULT_PROFILE : loadDeidProfileFile(o.profile);
  const enrollment = o.enrollment === undefined ? undefined : readEnrollmentFile(o.enrollment);
  const reportFolder = o.reports ?? path.join(path.dirname(path.resolve(vault)), "reports");

  const report = await deidentifyFolder(input, output, {
    profile,
    keyFile: vault,
    encryptionKey,
    reportFolder,
    progressSink: createStderrProgressSink(io.stderr),
    ...(enrollment === undefined ? {} : { enrollment }),
    ...(o.mapping === undefined ? {} : { mappingFolder: o.mapping }),
    ...(o["scan-all-pixels"] ? { scanAllPixels: true } : {}),
  });

  const quarantined = report.counts.quarantined;
  if (quarantined.length > 0) {
    io.stderr.write(`Quarantined (${quarantined.length}), written nowhere:\n`);
    for (const q of quarantined) io.stderr.write(`  ${q.file}  ${q.code}  ${q.reason}\n`);
  }
  io.stderr.write(`Report: ${path.join(reportFolder, `deid-${report.counts.run}.json`)}\n`);
  io.stdout.write(o.json ? `${JSON.stringify(report.toJSON(), null, 2)}\n` : `${report.summary}\n`);
  return report.ok ? 0 : 1;
}
