import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { startLocalPostgres, type LocalPostgres } from "../local-postgres";
import { openStore, type ResearchStore } from "../research-store";

/** The engines a store suite runs on. */
export type Engine = "duckdb" | "postgres";
export const ENGINES: readonly Engine[] = ["duckdb", "postgres"];

/**
 * Sets up a suite that runs on both engines: a throwaway PostgreSQL started before the suite and
 * stopped after it, and `freshStore(engine, name)` opening a new, empty store on either engine
 * (closed and removed at the end). Call at the top level of a test file.
 */
export function engineStores(prefix: string): {
  freshStore(engine: Engine, name: string): Promise<ResearchStore>;
  readonly temp: string;
} {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), `radlab-${prefix}-`));
  const stores: ResearchStore[] = [];
  let postgres: LocalPostgres | undefined;
  beforeAll(async () => {
    postgres = await startLocalPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const s of stores) await s.close();
    await postgres?.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  }, 60_000);
  return {
    temp,
    async freshStore(engine, name) {
      const home = path.join(temp, `${engine}-${name}`);
      const store =
        engine === "duckdb"
          ? await openStore({ home })
          : await openStore({
              home,
              postgres: await (postgres as LocalPostgres).createDatabase(`${prefix}_${name}`.replace(/-/g, "_")),
            });
      expect(store.db.engine).toBe(engine);
      stores.push(store);
      return store;
    },
  };
}
