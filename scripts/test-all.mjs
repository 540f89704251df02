// `make test`: lint, then every vitest project (kernel library, extension, notebooks in the real
// tslab kernel), then the browser tests in a real JupyterLab; prints one line per suite and a last
// line `tests: N passed, N failed, N skipped`. Every suite runs even when an earlier one failed;
// the exit status is 1 when anything failed.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = path.join(repo, "build", "reports");
fs.mkdirSync(reports, { recursive: true });

function run(command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: repo,
    stdio: "inherit",
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  return { ok: result.status === 0, seconds: (Date.now() - started) / 1000 };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const lines = [];
let failedSteps = 0;
const totals = { passed: 0, failed: 0, skipped: 0 };

// Lint: style, formatting and types of everything, tests included.
{
  const checks = [
    ["npx", ["eslint", "."]],
    ["npx", ["prettier", "--check", "."]],
    ["npx", ["tsc", "-p", "kernel-lib"]],
    ["npx", ["tsc", "-p", "jupyterlab-ext"]],
    ["npx", ["tsc", "-p", "test"]],
  ];
  let seconds = 0;
  const failed = [];
  for (const [command, args] of checks) {
    const r = run(command, args);
    seconds += r.seconds;
    if (!r.ok) failed.push(`${args[0]} ${args.slice(1).join(" ")}`);
  }
  if (failed.length > 0) failedSteps += 1;
  lines.push(
    `lint (eslint, prettier, tsc): ${failed.length === 0 ? "ok" : `FAILED: ${failed.join("; ")}`} in ${seconds.toFixed(1)} s`,
  );
}

function suite(name, command, args, reportFile, count) {
  fs.rmSync(reportFile, { force: true });
  const r = run(command, args);
  const report = readJson(reportFile);
  if (report === null) {
    failedSteps += 1;
    lines.push(`${name}: FAILED without a report (${path.relative(repo, reportFile)}) in ${r.seconds.toFixed(1)} s`);
    return;
  }
  const c = count(report);
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  if (!r.ok || c.failed > 0) failedSteps += 1;
  lines.push(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped in ${r.seconds.toFixed(1)} s`);
}

// The suites run in a private network namespace (loopback only): Orthanc, the test PACS, listens on
// every interface and has no bind option, so nothing it serves may be reachable from outside.
// unshare needs root; elsewhere the suites run as they are and the PACS tests say how to fix it.
const privateNetwork = process.getuid?.() === 0 ? ["scripts/private-network.sh"] : [];
const inNetwork = (command, args) =>
  privateNetwork.length === 0 ? [command, args] : [privateNetwork[0], [command, ...args]];
if (privateNetwork.length === 0) console.log("note: not root, so the tests run outside a private network namespace");

suite(
  "unit and notebooks (vitest)",
  ...inNetwork("npx", ["vitest", "run"]),
  path.join(reports, "vitest.json"),
  (j) => ({
    passed: j.numPassedTests,
    failed: j.numFailedTests + (j.numTotalTestSuites > 0 && j.success === false && j.numFailedTests === 0 ? 1 : 0),
    skipped: j.numPendingTests + j.numTodoTests,
  }),
);

suite(
  "browser, real JupyterLab (playwright)",
  ...inNetwork("npx", ["playwright", "test", "-c", "jupyterlab-ext/ui-tests/playwright.config.ts"]),
  path.join(reports, "playwright.json"),
  (j) => ({ passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected, skipped: j.stats.skipped }),
);

console.log("");
for (const line of lines) console.log(line);
console.log(`screenshots: ${path.relative(repo, path.join(repo, "build", "screenshots"))}/`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps === 0 ? 0 : 1);
