import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Database, SqlRow, SqlValue } from "./database";

/** Opens (or creates) a DuckDB database file; `:memory:` for a throwaway one. */
export async function openDuckDb(path: string): Promise<Database> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  return new DuckDbDatabase(instance, connection);
}

class DuckDbDatabase implements Database {
  readonly engine = "duckdb" as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const reader = await this.connection.runAndReadAll(sql, [...params]);
    return reader.getRowObjectsJS().map(normaliseRow);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.connection.run(sql, [...params]);
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    // One connection: transactions are serialised so that two callers never interleave.
    const next = this.queue.then(async () => {
      await this.connection.run("BEGIN TRANSACTION");
      try {
        const result = await work();
        await this.connection.run("COMMIT");
        return result;
      } catch (error) {
        await this.connection.run("ROLLBACK");
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** BIGINT comes back as bigint: numbers when exact, so rows compare and serialise simply. */
function normaliseRow(row: Record<string, unknown>): SqlRow {
  const out: SqlRow = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value;
  }
  return out;
}
