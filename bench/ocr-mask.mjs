// Benchmark: burned-in PHI removal (OCR, PHI recognition, masking and the verifying second OCR)
// in images/s with radlab (tesseract.js 7, a pool of 2 workers) against native tesseract 5
// (Debian tesseract-ocr, 2 single-threaded processes, bench/ocr-mask-native.sh) reading the same
// prepared images (radlab's border and upscaling, as PGM), in the same run. The data: presidio's
// four burned-in PHI images and deid-data's two ultrasounds. Native tesseract only reads the text
// once; radlab reads every image twice (before and after masking), so the ratio is also given
// per OCR pass. Needs a build: `npx tsc -b kernel-lib/tsconfig.build.json`, then
// `node bench/ocr-mask.mjs`. Writes build/bench/ocr-mask.json.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const dist = path.join(repo, "kernel-lib", "dist");
const { readDicomFile, decodeFrame, DicomDataset } = require(path.join(dist, "dicom", "index.js"));
const pixels = require(path.join(dist, "deid", "index.js"));
const { PNG } = require(require.resolve("pngjs", { paths: [path.join(repo, "kernel-lib")] }));
const data = path.resolve(repo, "..", "shared", "data");
const REPEATS = Number(process.env.REPEATS ?? 3);

function pngDataset(file) {
  // In memory only: presidio's images 1 and 3 exist as PNG renderings, not DICOM.
  const png = PNG.sync.read(fs.readFileSync(file));
  const n = png.width * png.height;
  const grey = new Uint8Array(n);
  for (let i = 0; i < n; i++) grey[i] = png.data[4 * i];
  const dict = {
    "00080060": { vr: "CS", Value: ["OT"] },
    "00280002": { vr: "US", Value: [1] },
    "00280004": { vr: "CS", Value: ["MONOCHROME2"] },
    "00280010": { vr: "US", Value: [png.height] },
    "00280011": { vr: "US", Value: [png.width] },
    "00280100": { vr: "US", Value: [8] },
    "00280101": { vr: "US", Value: [8] },
    "00280102": { vr: "US", Value: [7] },
    "00280103": { vr: "US", Value: [0] },
    "7FE00010": { vr: "OB", Value: [grey.buffer] },
  };
  return new DicomDataset(
    { meta: { "00020010": { vr: "UI", Value: ["1.2.840.10008.1.2.1"] } }, dict },
    { file, repairs: [], headerOnly: false },
  );
}

const presidio = path.join(data, "burned-in", "presidio");
const pngs = path.join(presidio, "presidio-image-redactor", "tests", "test_data", "png_images");
const us = path.join(data, "deid", "samples", "deid-data", "deid_data", "data", "ultrasounds");
const images = [
  [
    "presidio 0 (CR)",
    readDicomFile(path.join(presidio, "presidio-image-redactor", "tests", "test_data", "0_ORIGINAL_compressed.dcm")),
  ],
  ["presidio 1 (PNG)", pngDataset(path.join(pngs, "1_ORIGINAL.png"))],
  ["presidio 2 (CT)", readDicomFile(path.join(presidio, "docs", "samples", "python", "sample_data", "2_ORIGINAL.dcm"))],
  ["presidio 3 (PNG)", pngDataset(path.join(pngs, "3_ORIGINAL.png"))],
  ["deid-data GREYSCALE_IMAGE", readDicomFile(path.join(us, "GREYSCALE_IMAGE.dcm"))],
  ["deid-data RGB_IMAGE", readDicomFile(path.join(us, "RGB_IMAGE.dcm"))],
];

let started = process.hrtime.bigint();
const pool = await pixels.createOcrPool({ workers: 2 });
const poolSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const verdicts = [];
let radlabSeconds = Infinity;
try {
  for (let r = 0; r < REPEATS; r++) {
    started = process.hrtime.bigint();
    const results = await Promise.all(
      images.map(([, ds]) => pixels.cleanBurnedInPhi(ds, { reader: pool, scan: "always" })),
    );
    radlabSeconds = Math.min(radlabSeconds, Number(process.hrtime.bigint() - started) / 1e9);
    if (r === 0)
      results.forEach((res, i) => verdicts.push(`${images[i][0]}: ${res.verdict}, ${res.boxes.length} boxes`));
  }
} finally {
  await pool.terminate();
}

// The same prepared images for native tesseract, written to a temporary folder (synthetic PHI: never in the repo).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-ocr-bench-"));
let nativeSeconds = Infinity;
try {
  const files = [];
  for (const [name, ds] of images) {
    const prepared = pixels.prepareOcrImage(pixels.frameToGrey(await decodeFrame(ds, 0)));
    const file = path.join(dir, `${name.replace(/\W+/g, "_")}.pgm`);
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from(`P5\n${prepared.width} ${prepared.height}\n255\n`), prepared.pixels]),
    );
    files.push(file);
  }
  for (let r = 0; r < REPEATS; r++) {
    started = process.hrtime.bigint();
    const run = spawnSync(path.join(repo, "bench", "ocr-mask-native.sh"), ["-j", "2", ...files], { stdio: "inherit" });
    if (run.status !== 0) throw new Error(`native tesseract failed (${run.status})`);
    nativeSeconds = Math.min(nativeSeconds, Number(process.hrtime.bigint() - started) / 1e9);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

const n = images.length;
const radlabRate = n / radlabSeconds;
const nativeRate = n / nativeSeconds;
const version = spawnSync("tesseract", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
const result = {
  images: n,
  repeats: REPEATS,
  pool_creation_s: poolSeconds,
  radlab_images_per_s: radlabRate,
  radlab_ocr_passes_per_s: (2 * n) / radlabSeconds,
  native_images_per_s: nativeRate,
  ratio_images: radlabRate / nativeRate,
  ratio_per_ocr_pass: (2 * n) / radlabSeconds / nativeRate,
  native: version,
  verdicts,
};
console.log(verdicts.join("\n"));
console.log(`pool of 2 tesseract.js workers created in ${poolSeconds.toFixed(2)} s (not counted)`);
console.log(
  `radlab OCR + mask + verify: ${radlabRate.toFixed(2)} images/s (${result.radlab_ocr_passes_per_s.toFixed(2)} OCR passes/s)`,
);
console.log(`native ${version}, one OCR pass: ${nativeRate.toFixed(2)} images/s`);
console.log(
  `ratio radlab/native: ${result.ratio_images.toFixed(2)} per image, ${result.ratio_per_ocr_pass.toFixed(2)} per OCR pass`,
);
fs.mkdirSync(path.join(repo, "build", "bench"), { recursive: true });
fs.writeFileSync(path.join(repo, "build", "bench", "ocr-mask.json"), JSON.stringify(result, null, 2));
