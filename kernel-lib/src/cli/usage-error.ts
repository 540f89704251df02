import { RadlabError } from "../core/radlab-error";

/**
 * A command line that cannot run as written (an unknown option, a missing value or argument): the
 * command prints the message and its usage line and exits with status 2.
 */
export class UsageError extends RadlabError {
  constructor(
    /** The command (`deid`, `ingest`, `keygen`), or `""` for `radlab` itself. */
    readonly command: string,
    message: string,
  ) {
    super("cli-usage", message);
  }
}
