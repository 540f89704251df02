// `make demo`: executes the main journey's notebooks headlessly in the tslab kernel, writes executed
// .ipynb and HTML copies to out/demo/, and prints where they are and their key results (the text
// of cells tagged `result`). Usage: node scripts/demo.mjs NOTEBOOK...
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const notebooks = process.argv.slice(2);
const out = path.join("out", "demo");
const started = Date.now();
console.log(`radlab demo: executing ${notebooks.length} notebook(s) of the main journey in the tslab kernel`);
const result = spawnSync(
  path.join(repo, ".venv", "bin", "python"),
  [path.join(repo, "scripts", "run_notebooks.py"), "--html", "--out", out, ...notebooks],
  { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
let failed = 0;
for (const line of result.stdout.split("\n").filter((l) => l.startsWith("{"))) {
  const r = JSON.parse(line);
  const ok = r.errors.length === 0 && (r.missing_mime_types ?? []).length === 0;
  if (!ok) failed += 1;
  console.log(`  ${path.basename(r.notebook)}  ${r.seconds ?? "-"} s  ${ok ? "ok" : "FAILED"}`);
  if (r.executed) console.log(`    executed: ${r.executed}`);
  if (r.html) console.log(`    html:     ${r.html}`);
  for (const text of r.results ?? []) console.log(`    result:   ${text.trim().split("\n").join("\n              ")}`);
  for (const e of r.errors) console.log(`    error in cell ${e.cell}: ${e.ename}: ${e.evalue}`);
  for (const m of r.missing_mime_types ?? []) console.log(`    missing output type: ${m}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`demo finished in ${seconds} s: ${notebooks.length} notebook(s), ${failed} failed.`);
console.log("Open the HTML copies in a browser, or run `make lab` to work in JupyterLab.");
process.exit(failed === 0 && result.status === 0 ? 0 : 1);
