import { defineConfig } from "@playwright/test";
import * as path from "node:path";

/**
 * Browser tests of the radlab renderers in a real JupyterLab, started here from the project's
 * .venv, driven in Debian's Chromium (Playwright's own browser download does not work here).
 */
const repo = path.resolve(__dirname, "..", "..");
const port = process.env["RADLAB_UI_PORT"] ?? "8899";
const root = path.join(repo, "build", "ui-tests", "root");
const jupyterEnv = path.join(repo, "build", "ui-tests", "jupyter");

export default defineConfig({
  testDir: "tests",
  outputDir: path.join(repo, "build", "ui-tests", "results"),
  timeout: 120_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: path.join(repo, "build", "reports", "playwright.json") }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `node ${path.join(__dirname, "prepare-root.mjs")} && exec ${path.join(repo, ".venv", "bin", "jupyter")} lab --config ${path.join(__dirname, "jupyter_server_test_config.py")}`,
    url: `http://127.0.0.1:${port}/lab`,
    timeout: 120_000,
    reuseExistingServer: false,
    // SIGTERM lets Jupyter shut its kernels down before it exits.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      RADLAB_UI_PORT: port,
      RADLAB_UI_ROOT: root,
      PATH: `${path.join(repo, ".venv", "bin")}:${process.env["PATH"] ?? ""}`,
      JUPYTER_CONFIG_DIR: path.join(jupyterEnv, "config"),
      JUPYTER_DATA_DIR: path.join(jupyterEnv, "data"),
      JUPYTER_RUNTIME_DIR: path.join(jupyterEnv, "runtime"),
    },
  },
});
