import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { excerpt, PacsError } from "./pacs-error";

/** Options of {@link startOrthanc}. */
export interface OrthancOptions {
  /** The Orthanc executable (default `/usr/sbin/Orthanc`, Debian's `orthanc` package). */
  readonly executable?: string;
  /** The DICOMweb plugin (default Debian's `orthanc-dicomweb`). */
  readonly dicomWebPlugin?: string;
  /** Orthanc's own AE title (default `ORTHANC`). */
  readonly aet?: string;
  /**
   * The DICOM peer allowed to C-FIND, C-GET and C-MOVE (our SCU), and the port of its SCP for
   * C-MOVE (default AE `RADLAB` on port 104, where nothing listens: C-MOVE then fails, C-GET works).
   */
  readonly modality?: { readonly aet: string; readonly port: number };
  /** The interface list read to prove the network namespace is private (default `/proc/net/dev`). */
  readonly procNetDev?: string;
  /** Milliseconds to wait for the server to answer (default 20 000). */
  readonly startTimeoutMs?: number;
}

/** A running test Orthanc; {@link OrthancServer.stop} ends it and deletes its storage. */
export interface OrthancServer {
  /** `http://127.0.0.1:{port}` (the REST API). */
  readonly httpUrl: string;
  /** `{httpUrl}/dicom-web` (the DICOMweb root). */
  readonly dicomWebUrl: string;
  readonly dicomPort: number;
  readonly aet: string;
  /** The test user for HTTP Basic authentication. */
  readonly username: string;
  readonly password: string;
  /** The folder holding the configuration, storage and log. */
  readonly folder: string;
  /** Uploads files (DICOM or ZIP of DICOM) with `POST /instances`; returns the Orthanc instance IDs created. */
  upload(files: readonly string[]): Promise<string[]>;
  /** GETs a REST path with the test user's credentials and returns the body. */
  rest(pathAndQuery: string): Promise<Buffer>;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its folder. */
  stop(): Promise<void>;
}

const DEFAULT_EXECUTABLE = "/usr/sbin/Orthanc";
const DEFAULT_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

/**
 * Whether this process runs in a private network namespace: `/proc/net/dev` lists only the
 * loopback interface, so nothing it listens on is reachable from another machine.
 *
 * @example
 * ```ts
 * import { inPrivateNetwork } from "@radlab/kernel";
 * inPrivateNetwork(); // true under scripts/private-network.sh
 * ```
 */
export function inPrivateNetwork(devFile = "/proc/net/dev"): boolean {
  let text: string;
  try {
    text = fs.readFileSync(devFile, "utf8");
  } catch {
    return false;
  }
  const interfaces = text
    .split("\n")
    .slice(2)
    .map((line) => line.split(":")[0]?.trim() ?? "")
    .filter((name) => name !== "");
  return interfaces.length > 0 && interfaces.every((name) => name === "lo");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function request(
  method: "GET" | "POST",
  url: string,
  auth: string,
  body?: Buffer | fs.ReadStream,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { Authorization: auth } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test runner that exits without calling stop() must not leave a PACS behind.
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/**
 * Starts a real Orthanc for tests and notebooks: its own temporary folder, a generated
 * configuration (HTTP and DICOM ports chosen free, `RemoteAccessAllowed: false`, authentication
 * on with a random test password, the DICOMweb plugin, one DICOM modality for our SCU), waits
 * until it answers, and stops it on {@link OrthancServer.stop} or when the process exits.
 *
 * Orthanc 1.10 has no bind-address option and listens on every interface, so this refuses to
 * start outside a private network namespace; run the tests under `scripts/private-network.sh`.
 *
 * @throws {@link PacsError} `not-private-network` outside a private network namespace, and
 *   `orthanc` when Orthanc is missing, exits, or does not answer in time (with its log).
 * @example
 * ```ts
 * import { dicomWebConnection, searchStudies, startOrthanc } from "@radlab/kernel";
 * const orthanc = await startOrthanc();
 * await orthanc.upload(["../../shared/data/dicom/pydicom/test_files/CT_small.dcm"]);
 * const pacs = dicomWebConnection({
 *   baseUrl: orthanc.dicomWebUrl,
 *   auth: { kind: "basic", username: orthanc.username, password: orthanc.password },
 * });
 * await searchStudies(pacs);
 * await orthanc.stop();
 * ```
 */
export async function startOrthanc(options: OrthancOptions = {}): Promise<OrthancServer> {
  if (!inPrivateNetwork(options.procNetDev)) {
    throw new PacsError("not-private-network", "Refusing to start Orthanc outside a private network namespace.", {
      file: options.procNetDev ?? "/proc/net/dev",
      hint: "Orthanc 1.10 listens on every interface; run the command inside a fresh network namespace: scripts/private-network.sh npx vitest run kernel-lib/src/pacs",
    });
  }
  const executable = options.executable ?? DEFAULT_EXECUTABLE;
  const plugin = options.dicomWebPlugin ?? DEFAULT_PLUGIN;
  for (const file of [executable, plugin]) {
    if (!fs.existsSync(file)) {
      throw new PacsError("orthanc", `${file} does not exist.`, {
        file,
        hint: "Install Debian's orthanc and orthanc-dicomweb packages (make setup).",
      });
    }
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-orthanc-"));
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const aet = options.aet ?? "ORTHANC";
  const username = "radlab";
  const password = randomBytes(12).toString("hex");
  const modality = options.modality ?? { aet: "RADLAB", port: 104 };
  const config = {
    Name: "radlab-test",
    StorageDirectory: path.join(folder, "storage"),
    IndexDirectory: path.join(folder, "storage"),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: aet,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [username]: password },
    StorageCompression: false,
    SaveJobs: false,
    DicomCheckCalledAet: true,
    Plugins: [plugin],
    DicomWeb: { Enable: true, Root: "/dicom-web/", EnableWado: false },
    DicomModalities: {
      radlab: {
        AET: modality.aet,
        Host: "127.0.0.1",
        Port: modality.port,
        AllowEcho: true,
        AllowFind: true,
        AllowGet: true,
        AllowMove: true,
        AllowStore: true,
      },
    },
  };
  const configFile = path.join(folder, "orthanc.json");
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = path.join(folder, "orthanc.log");
  const log = fs.openSync(logFile, "w");
  const child = spawn(executable, [configFile], { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  installExitHook();
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => running.delete(child));
  const auth = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const lastLines = (text: string) => text.trimEnd().split("\n").slice(-5).join("\n");
  const readLog = () => (fs.existsSync(logFile) ? excerpt(fs.readFileSync(logFile).subarray(-2000), 2000) : "");

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(folder, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = readLog();
      await stop();
      throw new PacsError(
        "orthanc",
        `Orthanc exited during start-up (${child.exitCode ?? child.signalCode}):\n${lastLines(text)}`,
        {
          bodyExcerpt: text,
          hint: "Read the log excerpt; a port in use or a bad plugin path are the usual causes.",
        },
      );
    }
    try {
      const answer = await request("GET", `${httpUrl}/system`, auth);
      if (answer.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const text = readLog();
      await stop();
      throw new PacsError("orthanc", "Orthanc did not answer in time.", {
        bodyExcerpt: text,
        hint: "Raise startTimeoutMs, or read the log excerpt.",
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return Object.freeze({
    httpUrl,
    dicomWebUrl: `${httpUrl}/dicom-web`,
    dicomPort,
    aet,
    username,
    password,
    folder,
    async upload(files: readonly string[]) {
      const ids: string[] = [];
      for (const file of files) {
        const answer = await request("POST", `${httpUrl}/instances`, auth, fs.createReadStream(file));
        if (answer.status !== 200) {
          throw new PacsError("orthanc", `Orthanc refused ${file} (${answer.status}).`, {
            file,
            status: answer.status,
            bodyExcerpt: excerpt(answer.body),
            hint: "Orthanc accepts DICOM Part 10 files and ZIP archives of them.",
          });
        }
        const parsed = JSON.parse(answer.body.toString("utf8")) as { ID: string } | { ID: string }[];
        for (const item of Array.isArray(parsed) ? parsed : [parsed]) ids.push(item.ID);
      }
      return ids;
    },
    async rest(pathAndQuery: string) {
      const answer = await request("GET", `${httpUrl}${pathAndQuery}`, auth);
      if (answer.status !== 200) {
        throw new PacsError("orthanc", `GET ${pathAndQuery} answered ${answer.status}.`, {
          url: `${httpUrl}${pathAndQuery}`,
          status: answer.status,
          bodyExcerpt: excerpt(answer.body),
        });
      }
      return answer.body;
    },
    stop,
  });
}
