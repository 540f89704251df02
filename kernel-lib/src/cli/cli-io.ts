import * as os from "node:os";

/** A stream the command line writes to: `process.stdout`, `process.stderr`, or a capture in tests. */
export interface CliStream {
  write(text: string): unknown;
  /** True when the stream is a terminal: progress then updates one line in place. */
  readonly isTTY?: boolean;
  /** The terminal's width, when it is one. */
  readonly columns?: number;
}

/**
 * What a command reads and writes besides its arguments, injected so that the commands run the
 * same in a process (`bin/radlab.js`) and in a test.
 */
export interface CliIo {
  /** Results: the summary line, or JSON with `--json`. */
  readonly stdout: CliStream;
  /** Progress, the quarantine or reject list, and errors. */
  readonly stderr: CliStream;
  /** The environment (`RADLAB_DEID_KEY`, `RADLAB_DEID_VAULT`, `RADLAB_HOME`, `RADLAB_POSTGRES`, `RADLAB_DEBUG`, `HOME`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The exit status of a command: everything passed, something was quarantined or failed, or bad usage or input. */
export type ExitStatus = 0 | 1 | 2;

/** An environment variable of `io`, or `undefined` when it is unset or blank. */
export function envValue(io: CliIo, name: string): string | undefined {
  const value = io.env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** The user's home folder: `HOME` of the injected environment first, so that tests and services can set it. */
export function homeFolder(io: CliIo): string {
  return envValue(io, "HOME") ?? os.homedir();
}
