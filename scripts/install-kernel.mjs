// Registers the tslab kernel inside the project's .venv (never the user's Jupyter folders), as
// `tslab` ("TypeScript"), started through scripts/tslab-kernel.cjs with this machine's node.
// Usage: node scripts/install-kernel.mjs <venv>
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const venv = path.resolve(process.argv[2] ?? path.join(here, "..", ".venv"));
const dir = path.join(venv, "share", "jupyter", "kernels", "tslab");
fs.mkdirSync(dir, { recursive: true });
const spec = {
  argv: [process.execPath, path.join(here, "tslab-kernel.cjs"), "--config-path", "{connection_file}"],
  display_name: "TypeScript",
  language: "typescript",
  metadata: { radlab: "started through scripts/tslab-kernel.cjs (see README, 'Workarounds')" },
};
fs.writeFileSync(path.join(dir, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`);
fs.rmSync(path.join(venv, "share", "jupyter", "kernels", "jslab"), { recursive: true, force: true });
process.stdout.write(`tslab kernel registered in ${dir}\n`);
