import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { codeVersion, environmentInfo, runningTslabVersion } from "./environment";

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as { version: string };

describe("codeVersion", () => {
  it("reads the package version and the git commit of the checkout", () => {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: __dirname, encoding: "utf8" }).trim();
    const version = codeVersion();
    expect(version.packageVersion).toBe(manifest.version);
    expect(version.gitCommit).toBe(head);
    expect(version.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof version.gitDirty).toBe("boolean");
  });
});

describe("environmentInfo", () => {
  it("describes this machine", () => {
    const info = environmentInfo();
    expect(info.node).toBe(process.version);
    expect(info.cpus).toBe(os.cpus().length);
    expect(info.memoryGiB).toBe(Math.round((os.totalmem() / 2 ** 30) * 10) / 10);
    expect(info.tslab).toBeNull();
  });
});

describe("runningTslabVersion", () => {
  it("is null outside a tslab kernel", () => {
    expect(runningTslabVersion()).toBeNull();
  });
});
