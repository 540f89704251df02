// Benchmark: DICOM header parse (files/s) and pixel decode (MB/s of decoded samples), radlab
// against pydicom 3 (with pylibjpeg, libjpeg, openjpeg and RLE plugins), in the same run, on the
// same files: every file of ../shared/data/dicom that both read. Prints the ratios and writes
// build/bench/dicom-read.json. Run with `make bench-dicom` (builds radlab, installs the peers).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const radlab = createRequire(import.meta.url)(path.join(repo, "kernel-lib", "dist", "index.js"));
const data = path.resolve(repo, "..", "shared", "data", "dicom");
const REPEATS = Number(process.env.REPEATS ?? 5);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : /^(README|LICENSE|MANIFEST|INVENTORY|FileInfo)/.test(e.name) ? [] : [full];
  });
}

async function radlabRun(files) {
  const rows = [];
  for (const file of files) {
    const row = { file };
    try {
      const ts = radlab.readDicomFile(file, { headerOnly: true }).transferSyntaxUid;
      row.transfer_syntax = radlab.transferSyntax(ts)?.name ?? ts;
    } catch {
      row.transfer_syntax = "(unreadable)";
    }
    try {
      const bytes = fs.readFileSync(file);
      let started = process.hrtime.bigint();
      for (let i = 0; i < REPEATS; i++) radlab.readDicom(bytes, { file, headerOnly: true });
      row.header_s = Number(process.hrtime.bigint() - started) / 1e9 / REPEATS;
      const ds = radlab.readDicom(bytes, { file });
      if (ds.has("PixelData")) {
        const frames = radlab.imagePixelInfo(ds).numberOfFrames;
        let decoded = 0;
        await radlab.decodeFrame(ds, 0); // load WASM codecs outside the timing
        started = process.hrtime.bigint();
        for (let i = 0; i < REPEATS; i++) {
          decoded = 0;
          for (let f = 0; f < frames; f++) decoded += (await radlab.decodeFrame(ds, f)).samples.byteLength;
        }
        row.decode_s = Number(process.hrtime.bigint() - started) / 1e9 / REPEATS;
        row.decoded_bytes = decoded;
      }
    } catch (error) {
      row.error = `${error.code ?? error.name}: ${String(error.message).split("\n")[0]}`;
    }
    rows.push(row);
  }
  return rows;
}

const files = walk(data).sort();
const ours = await radlabRun(files);
const peer = spawnSync(
  path.join(repo, ".venv", "bin", "python"),
  [path.join(repo, "bench", "pydicom_read.py"), String(REPEATS)],
  {
    input: files.join("\n"),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  },
);
if (peer.status !== 0) throw new Error(`pydicom side failed: ${peer.stderr}`);
const theirs = JSON.parse(peer.stdout);
const byFile = new Map(theirs.files.map((r) => [r.file, r]));

let headerFiles = 0,
  oursHeader = 0,
  theirsHeader = 0;
let decodeFiles = 0,
  oursDecode = 0,
  theirsDecode = 0,
  decodedBytes = 0;
const onlyOurs = [],
  onlyTheirs = [];
const bySyntax = new Map();
for (const r of ours) {
  const t = byFile.get(r.file);
  if (r.header_s !== undefined && t?.header_s !== undefined) {
    headerFiles++;
    oursHeader += r.header_s;
    theirsHeader += t.header_s;
  }
  if (r.decode_s !== undefined && t?.decode_s !== undefined) {
    decodeFiles++;
    oursDecode += r.decode_s;
    theirsDecode += t.decode_s;
    decodedBytes += r.decoded_bytes;
    const g = bySyntax.get(r.transfer_syntax) ?? { files: 0, bytes: 0, ours: 0, theirs: 0 };
    g.files++;
    g.bytes += r.decoded_bytes;
    g.ours += r.decode_s;
    g.theirs += t.decode_s;
    bySyntax.set(r.transfer_syntax, g);
  } else if (r.decode_s !== undefined && t?.decode_error) onlyOurs.push(path.relative(data, r.file));
  else if (t?.decode_s !== undefined && r.decode_s === undefined)
    onlyTheirs.push(`${path.relative(data, r.file)} (${r.error ?? "no pixels"})`);
}
const result = {
  machine: `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  pydicom: theirs.version,
  repeats: REPEATS,
  header: {
    files: headerFiles,
    radlab_files_per_s: headerFiles / oursHeader,
    pydicom_files_per_s: headerFiles / theirsHeader,
  },
  decode: {
    files: decodeFiles,
    mb: decodedBytes / 1e6,
    radlab_mb_per_s: decodedBytes / 1e6 / oursDecode,
    pydicom_mb_per_s: decodedBytes / 1e6 / theirsDecode,
  },
  decoded_by_radlab_only: onlyOurs,
  decoded_by_pydicom_only: onlyTheirs,
};
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(
  path.join(repo, "build", "bench", "dicom-read.json"),
  JSON.stringify({ result, ours, theirs }, null, 1),
);
console.log(`machine: ${result.machine}; pydicom ${result.pydicom}; ${REPEATS} repeats`);
console.log(
  `header parse, ${headerFiles} files: radlab ${result.header.radlab_files_per_s.toFixed(0)} files/s, pydicom ${result.header.pydicom_files_per_s.toFixed(0)} files/s, ratio ${(result.header.radlab_files_per_s / result.header.pydicom_files_per_s).toFixed(2)}`,
);
console.log(
  `pixel decode, ${decodeFiles} files, ${result.decode.mb.toFixed(1)} MB: radlab ${result.decode.radlab_mb_per_s.toFixed(1)} MB/s, pydicom ${result.decode.pydicom_mb_per_s.toFixed(1)} MB/s, ratio ${(result.decode.radlab_mb_per_s / result.decode.pydicom_mb_per_s).toFixed(2)}`,
);
console.log("pixel decode by transfer syntax (MB/s radlab / pydicom, ratio):");
for (const [name, g] of [...bySyntax].sort((a, b) => b[1].ours - a[1].ours)) {
  const mb = g.bytes / 1e6;
  console.log(
    `  ${name.padEnd(62)} ${String(g.files).padStart(3)} files  ${(mb / g.ours).toFixed(1).padStart(6)} / ${(mb / g.theirs).toFixed(1).padStart(6)}  ${(g.theirs / g.ours).toFixed(2)}`,
  );
}
result.decode_by_transfer_syntax = Object.fromEntries(bySyntax);
console.log(
  `decoded by radlab only: ${onlyOurs.length}; by pydicom only: ${onlyTheirs.length}${onlyTheirs.length ? `\n  ${onlyTheirs.join("\n  ")}` : ""}`,
);
