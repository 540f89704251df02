import { RadlabError } from "../core/radlab-error";
import { envValue, type CliIo, type ExitStatus } from "./cli-io";
import { commandHelp, usageLine, type CommandSpec } from "./command-spec";
import { DEID_COMMAND, deidCommand } from "./deid-command";
import { COMMANDS, RADLAB_USAGE, radlabHelp, radlabVersion } from "./help";
import { INGEST_COMMAND, ingestCommand } from "./ingest-command";
import { KEYGEN_COMMAND, keygenCommand } from "./keygen-command";
import { PREDICT_COMMAND, predictCommand } from "./predict-command";
import { parseCommandLine } from "./parse-command-line";
import { UsageError } from "./usage-error";

/** Advice that only makes sense on the command line, by error code. */
const CLI_HINTS: Readonly<Record<string, string>> = {
  "reid-key-missing-key": "`radlab keygen --out <file>` makes a key file for --key.",
};

/**
 * Runs `radlab <command> [arguments]` and returns the exit status; never throws. Results go to
 * `io.stdout`; progress, lists of quarantined or rejected files, and errors to `io.stderr`.
 *
 * - 0: everything passed (or help, version, keygen).
 * - 1: something was quarantined, rejected or failed unexpectedly.
 * - 2: a usage error (printed with the command's usage line) or bad input: a `RadlabError` such as
 *   a missing key, an invalid profile or enrollment list, overlapping folders (printed as
 *   `radlab: <message>` with how to fix it; the stack only when `RADLAB_DEBUG=1`).
 *
 * @example
 * ```ts
 * // What bin/radlab.js does (through runFromProcess), for `radlab keygen`:
 * const status = await runCli(["keygen"], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "deid":
        return await run(DEID_COMMAND, args, io, deidCommand);
      case "ingest":
        return await run(INGEST_COMMAND, args, io, ingestCommand);
      case "keygen":
        return await run(KEYGEN_COMMAND, args, io, keygenCommand);
      case "predict":
        return await run(PREDICT_COMMAND, args, io, predictCommand);
      case "help":
      case "--help": {
        if (args.length > 1) throw new UsageError("", `radlab: unexpected argument ${args[1] ?? ""}`);
        const topic = args[0];
        const spec = COMMANDS.find((c) => c.name === topic);
        if (topic !== undefined && spec === undefined) throw new UsageError("", `radlab: unknown command ${topic}`);
        io.stdout.write(spec === undefined ? radlabHelp() : commandHelp(spec));
        return 0;
      }
      case "--version":
        if (args.length > 0) throw new UsageError("", `radlab: unexpected argument ${args[0] ?? ""}`);
        io.stdout.write(radlabVersion());
        return 0;
      case undefined:
        io.stderr.write(radlabHelp());
        return 2;
      default:
        throw new UsageError(
          "",
          command?.startsWith("-") === true
            ? `radlab: unknown option ${command}`
            : `radlab: unknown command ${command}`,
        );
    }
  } catch (error) {
    return report(error, io);
  }
}

async function run<S extends CommandSpec>(
  spec: S,
  args: readonly string[],
  io: CliIo,
  command: (parsed: ReturnType<typeof parseCommandLine<S>>, io: CliIo) => ExitStatus | Promise<ExitStatus>,
): Promise<ExitStatus> {
  const parsed = parseCommandLine(spec, args);
  if (parsed.help) {
    io.stdout.write(commandHelp(spec));
    return 0;
  }
  return command(parsed, io);
}

function report(error: unknown, io: CliIo): ExitStatus {
  const debug = envValue(io, "RADLAB_DEBUG") === "1";
  if (error instanceof UsageError) {
    const spec = COMMANDS.find((c) => c.name === error.command);
    const help = spec === undefined ? "radlab help" : `radlab help ${spec.name}`;
    io.stderr.write(
      `${error.message}\n${spec === undefined ? RADLAB_USAGE : usageLine(spec)}\n(\`${help}\` for more)\n`,
    );
    return 2;
  }
  if (error instanceof RadlabError) {
    const extra = CLI_HINTS[error.code];
    io.stderr.write(`radlab: ${error.message}\n${extra === undefined ? "" : `${extra}\n`}`);
    if (debug) io.stderr.write(stackOf(error));
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`radlab: unexpected error: ${message}\n`);
  io.stderr.write(debug ? stackOf(error) : "Set RADLAB_DEBUG=1 to see the stack trace.\n");
  return 1;
}

/** The stack of an error and of each of its causes. */
function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; depth += 1) {
    if (depth > 0) lines.push("Caused by:");
    lines.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The entry of `bin/radlab.js`: runs {@link runCli} on this process's arguments, streams and
 * environment and sets `process.exitCode` (the process then ends once its output is flushed).
 */
export function runFromProcess(): void {
  void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (status) => {
      process.exitCode = status;
    },
  );
}
