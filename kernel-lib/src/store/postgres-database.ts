import pg from "pg";
import type { Database, SqlRow, SqlValue } from "./database";

/** Types whose text PostgreSQL sends, read the way the embedded engine returns them. */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
    if (oid === INT8 || oid === NUMERIC) {
      return (value: string) => {
        const n = Number(value);
        return Number.isSafeInteger(n) || oid === NUMERIC ? n : value;
      };
    }
    if (oid === DATE) return (value: string) => value;
    if (oid === TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

/**
 * Connects to PostgreSQL (a connection string such as `postgres://user@host:5432/radlab`), for
 * teams whose store outgrows one machine. Rows come back in the embedded engine's shapes.
 */
export async function openPostgres(connectionString: string): Promise<Database> {
  const client = new pg.Client({ connectionString, types });
  await client.connect();
  return new PostgresDatabase(client);
}

class PostgresDatabase implements Database {
  readonly engine = "postgres" as const;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly client: pg.Client) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const result = await this.client.query(sql, [...params]);
    return result.rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.client.query(sql, [...params]);
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      await this.client.query("BEGIN");
      try {
        const result = await work();
        await this.client.query("COMMIT");
        return result;
      } catch (error) {
        await this.client.query("ROLLBACK");
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.client.end();
  }
}
