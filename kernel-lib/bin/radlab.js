#!/usr/bin/env node
/* global require, process */
// The `radlab` command (radlab deid | ingest | keygen | help): a shim over the compiled library.
let cli;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cli = require("../dist/cli/main.js");
} catch (error) {
  if (
    error !== null &&
    typeof error === "object" &&
    error.code === "MODULE_NOT_FOUND" &&
    /dist[\\/]cli[\\/]main\.js/.test(String(error.message))
  ) {
    process.stderr.write(
      "radlab: @radlab/kernel is not built (dist/cli/main.js is missing): run `npm run build` first.\n",
    );
    process.exit(2);
  }
  throw error;
}
cli.runFromProcess();
