import * as path from "node:path";
import { setDisplaySink } from "../display/display-sink";
import type { IngestReport } from "../store/ingest-report";
import { openStore } from "../store/research-store";
import { envValue, type CliIo, type ExitStatus } from "./cli-io";
import type { CommandSpec } from "./command-spec";
import type { ParsedCommandLine } from "./parse-command-line";
import { createStderrProgressSink } from "./stderr-progress-sink";
import { UsageError } from "./usage-error";

/** `radlab ingest`: its arguments and options. */
export const INGEST_COMMAND = {
  name: "ingest",
  summary:
    "Ingest <folder> into the research store. By default <folder> is the output of `radlab deid`: only files " +
    "whose exact bytes its manifest lists as verified are admitted. With --images it is a folder of PNG images " +
    "de-identified at their source (such as the NIH chest X-rays), wrapped as DICOM Secondary Capture.",
  positionals: [{ name: "folder", description: "the folder to ingest" }],
  options: {
    home: { type: "string", value: "folder", description: "the research store; default $RADLAB_HOME" },
    postgres: {
      type: "string",
      value: "url",
      description: "keep the metadata in PostgreSQL; default $RADLAB_POSTGRES, else the embedded database",
    },
    images: { type: "boolean", description: "ingest PNG images de-identified at their source (needs --source)" },
    source: {
      type: "string",
      value: "name",
      description: "with --images: who de-identified them (for example 'NIH Clinical Center')",
    },
    labels: {
      type: "string",
      value: "csv",
      description: "with --images: a CSV of file, label, patient_id, view_position (default: folder names)",
    },
    json: { type: "boolean", description: "print the ingest report as JSON on stdout instead of the summary" },
  },
  notes: [
    "A re-run adds nothing that is already stored. Progress and the rejected files go to stderr, the summary " +
      "to stdout. Exit status: 0 when nothing was rejected, 1 when any file was, 2 for a usage error or bad input.",
  ],
} as const satisfies CommandSpec;

/**
 * `radlab ingest <folder> [options]`: runs `ingestDeidentified` (or `ingestImageFolder` with
 * `--images`) with progress on stderr, prints the summary (or JSON) on stdout and the rejected
 * files on stderr.
 *
 * @returns 0 when nothing was rejected, 1 otherwise.
 * @throws {@link UsageError} for a bad command line (also `--source` or `--labels` without
 *   `--images`, `--images` without `--source`, no store location); the store's `RadlabError`s.
 */
export async function ingestCommand(parsed: ParsedCommandLine<typeof INGEST_COMMAND>, io: CliIo): Promise<ExitStatus> {
  const [folder = ""] = parsed.positionals;
  const o = parsed.options;
  const usage = (message: string) => new UsageError("ingest", `radlab ingest: ${message}`);
  if (!o.images && o.source !== undefined) throw usage("--source applies to --images only");
  if (!o.images && o.labels !== undefined) throw usage("--labels applies to --images only");
  if (o.images && o.source === undefined) throw usage("--images needs --source <name> (who de-identified them)");
  const home = o.home ?? envValue(io, "RADLAB_HOME");
  if (home === undefined) throw usage("no research store: pass --home <folder> or set RADLAB_HOME");
  // Explicit, so that the injected environment decides and not this process's: "" is the embedded engine.
  const postgres = o.postgres ?? envValue(io, "RADLAB_POSTGRES") ?? "";

  const store = await openStore({ home, postgres });
  // The store's ingest shows its progress bar in the current display sink: here, stderr.
  const previous = setDisplaySink(createStderrProgressSink(io.stderr));
  let report: IngestReport;
  try {
    report =
      o.images && o.source !== undefined
        ? await store.ingestImageFolder(folder, {
            source: o.source,
            ...(o.labels === undefined ? {} : { labelsCsv: o.labels }),
          })
        : await store.ingestDeidentified(folder);
  } finally {
    setDisplaySink(previous);
    await store.close();
  }

  if (report.rejected.length > 0) {
    io.stderr.write(`Rejected (${report.rejected.length}), not stored:\n`);
    for (const r of report.rejected) io.stderr.write(`  ${r.file}  ${r.code}  ${r.reason}\n`);
  }
  const summary = `${report.summary} into ${path.resolve(home)}`;
  io.stdout.write(
    o.json
      ? `${JSON.stringify(
          {
            run: report.runId,
            source: report.source,
            store: path.resolve(home),
            files: report.files,
            added: report.added,
            duplicates: report.duplicates,
            rejected: report.rejected,
            seconds: report.seconds,
            summary,
          },
          null,
          2,
        )}\n`
      : `${summary}\n`,
  );
  return report.rejected.length === 0 ? 0 : 1;
}
