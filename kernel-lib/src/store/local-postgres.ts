import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import pg from "pg";

/** A throwaway PostgreSQL server on loopback, for tests, benchmarks and trying the PostgreSQL path. */
export interface LocalPostgres {
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Finds Debian's PostgreSQL binaries (`/usr/lib/postgresql/<version>/bin`). */
function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = path.join(root, v, "bin");
    if (fs.existsSync(path.join(bin, "postgres")) && fs.existsSync(path.join(bin, "initdb"))) return bin;
  }
  throw new Error("PostgreSQL is not installed: run `make setup` (it installs Debian's postgresql package).");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts Debian's PostgreSQL in a new temporary folder, listening on 127.0.0.1 only, with trust
 * authentication for the local user `radlab`; `stop()` shuts it down and deletes the folder. As root
 * (CI) the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
 *
 * @throws Error when PostgreSQL is not installed or does not start within 10 s.
 * @example
 * ```ts
 * import { openStore, startLocalPostgres } from "@radlab/kernel";
 * const server = await startLocalPostgres();
 * const store = await openStore({ home: "/tmp/store", postgres: await server.createDatabase("trial") });
 * ```
 */
export async function startLocalPostgres(): Promise<LocalPostgres> {
  const bin = postgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-pg-"));
  const asRoot = process.getuid?.() === 0;
  const wrap = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  if (asRoot) {
    const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const [initCmd, initArgs] = wrap(path.join(bin, "initdb"), [
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "radlab",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: "utf8" });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const [cmd, args] = wrap(path.join(bin, "postgres"), [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
  ]);
  const server: ChildProcess = spawn(cmd, args, { stdio: "ignore" });
  const url = (db: string) => `postgres://radlab@127.0.0.1:${port}/${db}`;
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    const client = new pg.Client({ connectionString: url("postgres") });
    try {
      await client.connect();
      ready = true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (!ready) {
    server.kill("SIGKILL");
    throw new Error("PostgreSQL did not start within 10 s");
  }
  return {
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      await client.query(`CREATE DATABASE ${name.replace(/[^a-z0-9_]/g, "_")}`);
      await client.end();
      return url(name.replace(/[^a-z0-9_]/g, "_"));
    },
    async stop() {
      const exited = new Promise<void>((resolve) => {
        if (server.exitCode !== null || server.signalCode !== null) resolve();
        else server.once("exit", () => resolve());
      });
      // pg_ctl's fast shutdown, as the server's own user: signals sent to runuser need not reach it.
      const [stopCmd, stopArgs] = wrap(path.join(bin, "pg_ctl"), ["stop", "-D", data, "-m", "fast", "-w", "-t", "20"]);
      const stopped = spawnSync(stopCmd, stopArgs, { encoding: "utf8" });
      if (stopped.status !== 0) server.kill("SIGKILL");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
