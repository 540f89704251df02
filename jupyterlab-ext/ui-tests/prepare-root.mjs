// Copies the fixture notebooks into a fresh server root inside the repository, so that the tslab
// kernel, started in the notebook's folder, resolves @radlab/kernel from the repository's
// node_modules. The fixtures themselves are never opened, so autosave cannot change them.
// Run by playwright.config.ts before it starts JupyterLab.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const root = path.join(repo, "build", "ui-tests", "root");
fs.rmSync(root, { recursive: true, force: true });
fs.rmSync(path.join(repo, "build", "ui-tests", "jupyter"), { recursive: true, force: true });
fs.mkdirSync(root, { recursive: true });
for (const name of fs.readdirSync(path.join(here, "notebooks"))) {
  fs.copyFileSync(path.join(here, "notebooks", name), path.join(root, name));
}

// No "notified about Jupyter news?" toast over the outputs in screenshots.
const settings = path.join(
  repo,
  "build",
  "ui-tests",
  "jupyter",
  "config",
  "lab",
  "user-settings",
  "@jupyterlab",
  "apputils-extension",
);
fs.mkdirSync(settings, { recursive: true });
fs.writeFileSync(path.join(settings, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false" }));
