import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDicomFile } from "../dicom/read";
import { readManifest } from "../deid/pipeline/deid-manifest";
import type { CliIo } from "./cli-io";
import { commandHelp } from "./command-spec";
import { DEID_COMMAND } from "./deid-command";
import { radlabHelp } from "./help";
import { runCli } from "./main";

const SHARED = path.resolve(__dirname, "../../../../shared/data");
const CT = path.join(SHARED, "dicom/pydicom/test_files/CT_small.dcm");
const US = path.join(SHARED, "deid/samples/deid-data/deid_data/data/ultrasounds/GREYSCALE_IMAGE.dcm");
const PNG = path.join(SHARED, "cxr/nih1000/images/0_normal/00000181_023.png");
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-cli-"));
const at = (...parts: string[]) => path.join(temp, ...parts);
const KEY_HEX = "ab".repeat(32);
const DEID_USAGE =
  "usage: radlab deid <input> <output> [--profile <file>] [--enrollment <csv>] [--key <file>] [--vault <file>] " +
  "[--reports <folder>] [--mapping <folder>] [--scan-all-pixels] [--json]";

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command line with captured streams and an environment of its own (not this process's). */
async function radlab(argv: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { HOME: at("home"), ...env },
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

/** Elapsed times vary: `in 2.7 s` becomes `in N s`, `0:03` becomes `M:SS`. */
const steady = (text: string) => text.replace(/in \d+\.\d s/g, "in N s").replace(/\d+:\d\d/g, "M:SS");

beforeAll(() => {
  fs.mkdirSync(at("pulled"));
  fs.copyFileSync(CT, at("pulled", "CT_small.dcm"));
  fs.copyFileSync(US, at("pulled", "us.dcm"));
  fs.writeFileSync(at("pulled", "junk.bin"), Buffer.from("this is not an image, only some junk bytes"));
  fs.mkdirSync(at("clean"));
  fs.copyFileSync(CT, at("clean", "CT_small.dcm"));
  fs.copyFileSync(US, at("clean", "us.dcm"));
  fs.mkdirSync(at("secure"), { mode: 0o700 });
  fs.writeFileSync(at("secure", "deid.key"), `${KEY_HEX}\n`, { mode: 0o600 });
});

afterAll(() => {
  fs.rmSync(temp, { recursive: true, force: true });
});

describe("radlab (help, version, usage errors)", () => {
  it("prints help on stdout with status 0, and on stderr with status 2 when no command is given", async () => {
    expect(await radlab(["--help"])).toEqual({ status: 0, stdout: radlabHelp(), stderr: "" });
    expect(await radlab(["help"])).toEqual({ status: 0, stdout: radlabHelp(), stderr: "" });
    expect(await radlab(["help", "deid"])).toEqual({ status: 0, stdout: commandHelp(DEID_COMMAND), stderr: "" });
    expect(await radlab(["deid", "--help"])).toEqual({ status: 0, stdout: commandHelp(DEID_COMMAND), stderr: "" });
    expect(await radlab([])).toEqual({ status: 2, stdout: "", stderr: radlabHelp() });
  });

  it("prints the package version", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as {
      version: string;
    };
    expect(await radlab(["--version"])).toEqual({ status: 0, stdout: `radlab ${version}\n`, stderr: "" });
  });

  it("exits 2 with the message and the usage line for an unknown command or option", async () => {
    expect(await radlab(["deidentify", "in", "out"])).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "radlab: unknown command deidentify\n" +
        "usage: radlab <command> [options]   (commands: deid, ingest, keygen, predict, help)\n" +
        "(`radlab help` for more)\n",
    });
    expect(await radlab(["deid", at("pulled"), at("out-x"), "--profle", "p.json"])).toEqual({
      status: 2,
      stdout: "",
      stderr: `radlab deid: unknown option --profle\n${DEID_USAGE}\n(\`radlab help deid\` for more)\n`,
    });
    expect(await radlab(["deid", at("pulled")])).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "radlab deid: missing <output> (the folder for de-identified files (outside <input>))\n" +
        `${DEID_USAGE}\n(\`radlab help deid\` for more)\n`,
    });
    expect(fs.existsSync(at("out-x"))).toBe(false);
  });
});

describe("radlab deid", () => {
  const vault = at("secure", "study.reid");
  const keyArgs = ["--key", at("secure", "deid.key"), "--vault", vault];

  it("de-identifies, prints the summary, lists the quarantine on stderr, and exits 1 when anything was quarantined", async () => {
    const run = await radlab(["deid", at("pulled"), at("research"), ...keyArgs]);
    expect(run.status).toBe(1);
    expect(steady(run.stdout)).toBe(
      "pulled: 3 files, 2 de-identified (1 with burned-in text masked), 0 already done, 1 quarantined in N s\n",
    );
    const reports = fs.readdirSync(at("secure", "reports"));
    expect(reports).toHaveLength(1);
    expect(steady(run.stderr)).toBe(
      [
        "[..............................] De-identifying pulled: 0/3 files, M:SS elapsed",
        "[##############################] De-identifying pulled: 3/3 files in M:SS, failed (pulled: 3 files, " +
          "2 de-identified (1 with burned-in text masked), 0 already done, 1 quarantined in N s)",
        "Quarantined (1), written nowhere:",
        "  junk.bin  not-dicom  junk.bin is not a DICOM file: there is no 'DICM' marker at byte 128 and its first " +
          "bytes are not a DICOM element.",
        `Report: ${at("secure", "reports", reports[0] ?? "")}`,
        "",
      ].join("\n"),
    );
    const manifest = readManifest(at("research"));
    expect([...manifest.values()].map((e) => [e.researchId, e.pixels, e.profile]).sort()).toEqual([
      ["S001", "not-scanned", { name: "ps3.15-basic-clean-pixel-data", version: "1" }],
      ["S002", "masked", { name: "ps3.15-basic-clean-pixel-data", version: "1" }],
    ]);
    for (const file of manifest.keys()) {
      expect(readDicomFile(at("research", file)).string("PatientIdentityRemoved")).toBe("YES");
    }
    expect(fs.existsSync(vault)).toBe(true);
  }, 120_000);

  it("exits 0 when everything passed; --json prints the run report; the key may come from RADLAB_DEID_KEY", async () => {
    const run = await radlab(["deid", at("clean"), at("research-clean"), "--vault", vault, "--json"], {
      RADLAB_DEID_KEY: KEY_HEX,
    });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect({ ...report, run: "R", seconds: 0, summary: steady(String(report["summary"])) }).toEqual({
      run: "R",
      input: "clean",
      files: 2,
      passed: 2,
      alreadyDone: 0,
      masked: 1,
      quarantined: [],
      seconds: 0,
      summary: "clean: 2 files, 2 de-identified (1 with burned-in text masked), 0 already done, 0 quarantined in N s",
    });
    expect(run.stderr).not.toContain("Quarantined");
    expect(readManifest(at("research-clean")).size).toBe(2);
  }, 120_000);

  it("exits 2 with the error and how to fix it, without a stack, for bad input", async () => {
    const out = at("never-written");
    expect(await radlab(["deid", at("clean"), out, "--vault", vault])).toEqual({
      status: 2,
      stdout: "",
      stderr:
        "radlab: No encryption key for the re-identification key.\n" +
        "How to fix: Set RADLAB_DEID_KEY to 64 hex digits (generateEncryptionKey() makes one) or pass --key <file>.\n" +
        "`radlab keygen --out <file>` makes a key file for --key.\n",
    });
    fs.writeFileSync(
      at("bad-profile.json"),
      JSON.stringify({ kind: "deid-profile", name: "p", version: "1", options: ["retain-everything"] }),
    );
    const profile = await radlab(["deid", at("clean"), out, ...keyArgs, "--profile", at("bad-profile.json")]);
    expect(profile.status).toBe(2);
    expect(profile.stderr.split("\n")[0]).toBe(
      `radlab: The de-identification profile ${at("bad-profile.json")} is invalid:`,
    );
    expect(profile.stderr).toMatch(/\n {2}options\[0\]: .*retain-everything/);
    expect(profile.stderr).not.toMatch(/\n\s+at /);
    fs.writeFileSync(at("enrollment.csv"), "mrn,who\n1,2\n");
    const enrollment = await radlab(["deid", at("clean"), out, ...keyArgs, "--enrollment", at("enrollment.csv")]);
    expect(enrollment.status).toBe(2);
    expect(enrollment.stderr.split("\n")[0]).toMatch(
      new RegExp(`^radlab: The enrollment list ${at("enrollment.csv")} has \\d+ problem\\(s\\):$`),
    );
    expect(await radlab(["deid", at("no-such-folder"), out, ...keyArgs])).toEqual({
      status: 2,
      stdout: "",
      stderr: `radlab: The input ${at("no-such-folder")} is not a folder.\nHow to fix: Give the folder that holds the DICOM files to de-identify.\n`,
    });
    const inside = await radlab(["deid", at("clean"), at("clean", "out"), ...keyArgs]);
    expect(inside.status).toBe(2);
    expect(inside.stderr.split("\n")[0]).toBe(
      `radlab: The output ${at("clean", "out")} and the input ${at("clean")} overlap.`,
    );
    fs.rmSync(at("clean", "out"), { recursive: true, force: true });
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it("prints the stack with RADLAB_DEBUG=1", async () => {
    const run = await radlab(["deid", at("clean"), at("never-written"), "--vault", vault], { RADLAB_DEBUG: "1" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^radlab: No encryption key for the re-identification key\.\n/);
    expect(run.stderr).toMatch(/\nDeidError: No encryption key[^]*\n\s+at readEncryptionKey /);
  });
});

describe("radlab ingest", () => {
  it("ingests a de-identified folder into the store and reports the added count; a re-run adds nothing", async () => {
    const first = await radlab(["ingest", at("research"), "--home", at("store")]);
    expect({ ...first, stdout: steady(first.stdout) }).toEqual({
      status: 0,
      stdout: `de-identified research: 2 files, 2 added, 0 already stored, 0 rejected in N s into ${at("store")}\n`,
      stderr: expect.stringContaining("Ingesting de-identified research: 2/2 files in") as unknown as string,
    });
    const again = await radlab(["ingest", at("research"), "--json"], { RADLAB_HOME: at("store") });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ files: 2, added: 0, duplicates: 2, rejected: [] });
  }, 60_000);

  it("exits 1 and lists the rejected files when a file in the folder did not pass de-identification", async () => {
    fs.copyFileSync(CT, at("research", "planted.dcm"));
    const run = await radlab(["ingest", at("research"), "--home", at("store")]);
    expect(run.status).toBe(1);
    expect(steady(run.stdout)).toBe(
      `de-identified research: 3 files, 0 added, 2 already stored, 1 rejected in N s into ${at("store")}\n`,
    );
    expect(run.stderr.slice(run.stderr.indexOf("Rejected"))).toBe(
      "Rejected (1), not stored:\n" +
        "  planted.dcm  not-deidentified  (0012,0062) Patient Identity Removed is absent, not YES: " +
        "de-identify it before it enters the store\n",
    );
    fs.rmSync(at("research", "planted.dcm"));
  }, 60_000);

  it("ingests PNG images with --images --source, and checks that the options go together", async () => {
    fs.mkdirSync(at("png", "normal"), { recursive: true });
    fs.copyFileSync(PNG, at("png", "normal", path.basename(PNG)));
    const run = await radlab([
      "ingest",
      at("png"),
      "--images",
      "--source",
      "NIH Clinical Center",
      "--home",
      at("store"),
    ]);
    expect([run.status, steady(run.stdout)]).toEqual([
      0,
      `images png: 1 files, 1 added, 0 already stored, 0 rejected in N s into ${at("store")}\n`,
    ]);
    const usage = (message: string) =>
      `radlab ingest: ${message}\nusage: radlab ingest <folder> [--home <folder>] [--postgres <url>] [--images] ` +
      "[--source <name>] [--labels <csv>] [--json]\n(`radlab help ingest` for more)\n";
    expect(await radlab(["ingest", at("png"), "--images", "--home", at("store")])).toEqual({
      status: 2,
      stdout: "",
      stderr: usage("--images needs --source <name> (who de-identified them)"),
    });
    expect((await radlab(["ingest", at("png"), "--source", "NIH", "--home", at("store")])).stderr).toBe(
      usage("--source applies to --images only"),
    );
    expect((await radlab(["ingest", at("research")])).stderr).toBe(
      usage("no research store: pass --home <folder> or set RADLAB_HOME"),
    );
  }, 60_000);
});

describe("radlab keygen", () => {
  it("prints a new key, or writes it to a new file with mode 0600 and refuses to overwrite it", async () => {
    const printed = await radlab(["keygen"]);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(printed.stderr).toBe("");

    const file = at("keys", "new.key");
    expect(await radlab(["keygen", "--out", file])).toEqual({
      status: 0,
      stdout: "",
      stderr: `Wrote a new encryption key to ${file} (mode 0600). Keep it apart from the research data.\n`,
    });
    const content = fs.readFileSync(file, "utf8");
    expect(content).toMatch(/^[0-9a-f]{64}\n$/);
    expect(content).not.toBe(printed.stdout);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    expect(await radlab(["keygen", "--out", file])).toEqual({
      status: 2,
      stdout: "",
      stderr:
        `radlab: Refusing to overwrite ${file}.\n` +
        "How to fix: Give a new file name; replacing a key makes every vault saved with it unreadable.\n",
    });
    expect(fs.readFileSync(file, "utf8")).toBe(content);
  });
});
