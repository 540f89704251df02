import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where the `@radlab/kernel` package lives on disk (the folder holding its package.json). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/** The version of the code that produced a result, as recorded in lineage events. */
export interface CodeVersion {
  /** The `@radlab/kernel` package version, for example `0.1.0`. */
  readonly packageVersion: string;
  /** The git commit of the checkout the package runs from, or `null` outside a git checkout. */
  readonly gitCommit: string | null;
  /** Whether the checkout had uncommitted changes; `null` outside a git checkout. */
  readonly gitDirty: boolean | null;
}

/** Facts about the machine and runtime, shown by `about()` and stored with benchmark results. */
export interface EnvironmentInfo extends CodeVersion {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  /** The tslab version when running inside a tslab kernel, otherwise `null`. */
  readonly tslab: string | null;
}

let cachedCodeVersion: CodeVersion | undefined;

/**
 * Returns the package version and git commit of the running radlab code.
 *
 * The git commit is read once per process with `git rev-parse HEAD` in the package folder.
 *
 * @returns The code version; `gitCommit` is `null` when the package is not inside a git checkout.
 * @example
 * ```ts
 * import { codeVersion } from "@radlab/kernel";
 * codeVersion().packageVersion; // "0.1.0"
 * ```
 */
export function codeVersion(): CodeVersion {
  if (cachedCodeVersion === undefined) {
    const manifest: unknown = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
    const packageVersion =
      typeof manifest === "object" && manifest !== null && "version" in manifest && typeof manifest.version === "string"
        ? manifest.version
        : "unknown";
    const gitCommit = runGit(["rev-parse", "HEAD"]);
    const status = gitCommit === null ? null : runGit(["status", "--porcelain", "--untracked-files=no"]);
    cachedCodeVersion = Object.freeze({
      packageVersion,
      gitCommit,
      gitDirty: status === null ? null : status.length > 0,
    });
  }
  return cachedCodeVersion;
}

function runGit(args: readonly string[]): string | null {
  try {
    return execFileSync("git", [...args], {
      cwd: PACKAGE_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5000,
    }).trim();
  } catch {
    return null;
  }
}

/**
 * The version recorded with what radlab computes (lineage runs, feature rows): the package
 * version, with `+dirty` when the checkout had uncommitted changes.
 *
 * @example
 * ```ts
 * import { recordedVersion } from "@radlab/kernel";
 * recordedVersion(); // "0.1.0" (or "0.1.0+dirty")
 * ```
 */
export function recordedVersion(): string {
  const version = codeVersion();
  return version.gitDirty === true ? `${version.packageVersion}+dirty` : version.packageVersion;
}

/**
 * Returns the version of the tslab kernel this process runs in, or `null` outside tslab.
 *
 * tslab loads its own `package.json`-described module into Node's CommonJS cache; that is how the
 * running copy is found even when tslab is installed somewhere else than radlab.
 */
export function runningTslabVersion(): string | null {
  for (const file of Object.keys(require.cache)) {
    const match = /^(.*[\\/]tslab)[\\/]dist[\\/]jupyter\.js$/.exec(file);
    const manifestPath = match?.[1] === undefined ? undefined : path.join(match[1], "package.json");
    if (manifestPath !== undefined && existsSync(manifestPath)) {
      const manifest: unknown = JSON.parse(readFileSync(manifestPath, "utf8"));
      if (typeof manifest === "object" && manifest !== null && "version" in manifest) {
        return String(manifest.version);
      }
    }
  }
  return null;
}

/**
 * Describes the machine and runtime radlab is running on.
 *
 * @example
 * ```ts
 * import { environmentInfo } from "@radlab/kernel";
 * environmentInfo().cpus; // 2
 * ```
 */
export function environmentInfo(): EnvironmentInfo {
  const cpus = os.cpus();
  return Object.freeze({
    ...codeVersion(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    tslab: runningTslabVersion(),
  });
}
