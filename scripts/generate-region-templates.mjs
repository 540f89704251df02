// Generates kernel-lib/src/deid/pixels/region-templates.generated.ts, the burned-in text regions
// per manufacturer and model, from the graylist of pydicom/deid's deid/data/deid.dicom (MIT; its
// rules marked "(CTP)" were adapted by deid from RSNA CTP's DicomPixelAnonymizer.script).
// CTP's own script is not used: its folder carries no licence text, only a pointer to the RSNA
// Public License (see ../shared/data/deid/samples/ctp-profiles/LICENSE-NOTICE.from-source-header.txt).
// Run: node scripts/generate-region-templates.mjs [deid.dicom]. The output is committed.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const samples = path.resolve(repo, "..", "shared", "data", "deid", "samples");
const source = process.argv[2] ?? path.join(samples, "deid-rules", "deid", "data", "deid.dicom");
const licence = fs.readFileSync(path.join(path.dirname(source), "..", "..", "LICENSE"), "utf8").trim();
const manifest = fs.readFileSync(path.join(samples, "MANIFEST.txt"), "utf8");
const commit = /github:pydicom\/deid\s+commit\s+([0-9a-f]{40})/.exec(manifest)?.[1];
if (commit === undefined) throw new Error("pydicom/deid commit not found in MANIFEST.txt");

// Keywords of the data dictionary, so that a misspelt attribute fails here and not silently at run time.
const dictionary = fs.readFileSync(
  path.join(repo, "kernel-lib", "src", "dicom", "dictionary", "attributes.generated.ts"),
  "utf8",
);
const keywords = new Set([...dictionary.matchAll(/^\s+\["[0-9A-Fa-fXx]{8}","(\w+)"/gm)].map((m) => m[1]));

const TESTS = new Set(["contains", "notcontains", "equals", "notequals", "missing", "present", "empty"]);
const lines = fs.readFileSync(source, "utf8").split("\n");
const templates = [];
const skipped = [];
let section = "";
let current;

function finish() {
  if (current === undefined) return;
  const where = `${path.basename(source)} line ${current.line}`;
  if (current.problem !== undefined) skipped.push({ label: current.label, source: where, reason: current.problem });
  else if (current.boxes.length === 0)
    skipped.push({ label: current.label, source: where, reason: "flags only: no coordinates" });
  else templates.push({ label: current.label, source: where, conditions: current.conditions, boxes: current.boxes });
  current = undefined;
}

function parseConditions(text, lineNumber) {
  // "contains A x || contains B y": split on inner operators, keeping them as joins.
  const parts = text.split(/\s+(\|\||\+)\s+/);
  const out = [];
  let join = null;
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) {
      join = parts[i] === "+" ? "and" : "or";
      continue;
    }
    const m = /^(\w+)\s+(\S+)(?:\s+(.*))?$/.exec(parts[i].trim());
    if (m === null) throw new Error(`line ${lineNumber}: cannot read condition "${parts[i]}"`);
    const test = m[1].toLowerCase();
    if (!TESTS.has(test)) throw new Error(`line ${lineNumber}: unknown test "${m[1]}"`);
    const condition = { join, test, keyword: m[2] };
    if (m[3] !== undefined) {
      condition.value = m[3].trim();
      if (test === "contains" || test === "notcontains") new RegExp(condition.value, "i");
    }
    out.push(condition);
    join = null;
  }
  return out;
}

lines.forEach((raw, index) => {
  const lineNumber = index + 1;
  const line = raw.replace(/\s+$/, "");
  if (/^%filter\s+/.test(line)) {
    finish();
    section = line.split(/\s+/)[1];
    return;
  }
  if (/^%/.test(line)) {
    finish();
    section = line;
    return;
  }
  if (section !== "graylist") return;
  const trimmed = line.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return;
  const label = /^LABEL\s+(.*)$/.exec(trimmed);
  if (label !== null) {
    finish();
    const [name, origin] = label[1].split("#").map((s) => s.trim());
    current = { label: origin ? `${name} ${origin}` : name, line: lineNumber, conditions: [], boxes: [] };
    return;
  }
  if (current === undefined) throw new Error(`line ${lineNumber}: condition outside a LABEL`);
  const coords = /^(ctpcoordinates|coordinates|keepcoordinates)\s+(.*)$/.exec(trimmed);
  if (coords !== null) {
    const value = coords[2].trim();
    if (coords[1] === "keepcoordinates" || value === "all" || value.startsWith("from:")) {
      current.problem ??= `${coords[1]} ${value}: not a fixed region of a device`;
      return;
    }
    const n = value.split(",").map((v) => Number(v.trim()));
    if (n.length !== 4 || n.some((v) => !Number.isInteger(v) || v < 0))
      throw new Error(`line ${lineNumber}: bad coordinates "${value}"`);
    // deid: coordinates are xmin,ymin,xmax,ymax; ctpcoordinates are CTP's x,y,width,height.
    const box =
      coords[1] === "coordinates"
        ? { left: n[0], top: n[1], width: n[2] - n[0], height: n[3] - n[1] }
        : { left: n[0], top: n[1], width: n[2], height: n[3] };
    if (box.width <= 0 || box.height <= 0) throw new Error(`line ${lineNumber}: empty region "${value}"`);
    current.boxes.push(box);
    return;
  }
  const lead = /^(\+|\|\|)\s+(.*)$/.exec(trimmed);
  const conditions = parseConditions(lead === null ? trimmed : lead[2], lineNumber);
  if (lead !== null && current.conditions.length > 0) conditions[0].join = lead[1] === "+" ? "and" : "or";
  for (const c of conditions) {
    if (!keywords.has(c.keyword))
      current.problem ??= `unknown attribute keyword "${c.keyword}" (misspelt in the source), so the rule can never match`;
  }
  current.conditions.push(...conditions);
});
finish();

const header = [
  "// Generated by scripts/generate-region-templates.mjs. Do not edit by hand.",
  `// Source: github.com/pydicom/deid commit ${commit}, deid/data/deid.dicom (graylist rules with coordinates),`,
  "// read from ../shared/data/deid/samples/deid-rules. Rules marked (CTP) were adapted by deid from RSNA CTP's",
  "// DicomPixelAnonymizer.script. Licence of the source:",
  "//",
  ...licence.split("\n").map((l) => `// ${l}`.trimEnd()),
  "",
  'import type { RegionTemplate, SkippedRegionRule } from "./region-templates";',
  "",
  "/** The source these templates were generated from. */",
  `export const REGION_TEMPLATE_SOURCE = ${JSON.stringify(`pydicom/deid@${commit.slice(0, 12)} deid/data/deid.dicom (MIT)`)};`,
  "",
  `/** ${templates.length} region templates: burned-in text regions per manufacturer, model and size. */`,
  "export const REGION_TEMPLATES: readonly RegionTemplate[] = Object.freeze([",
  ...templates.map((t) => `  ${JSON.stringify(t)},`),
  "]);",
  "",
  "/** Rules of the source that are not templates, and why (kept so a reviewer can see nothing was lost silently). */",
  "export const SKIPPED_REGION_RULES: readonly SkippedRegionRule[] = Object.freeze([",
  ...skipped.map((t) => `  ${JSON.stringify(t)},`),
  "]);",
  "",
];
const target = path.join(repo, "kernel-lib", "src", "deid", "pixels", "region-templates.generated.ts");
// Formatted as the repository's prettier check expects, so that a regenerated file is unchanged.
const options = (await prettier.resolveConfig(target)) ?? {};
fs.writeFileSync(target, await prettier.format(header.join("\n"), { ...options, filepath: target }));
process.stdout.write(
  `${templates.length} templates, ${skipped.length} rules skipped, written to ${path.relative(repo, target)}\n`,
);
