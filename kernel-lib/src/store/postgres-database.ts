import pg from "pg";
import {
  checkIdentifier,
  columnTypeCache,
  serialisedTransactions,
  sqlText,
  type Database,
  type SqlRow,
  type SqlValue,
} from "./database";

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

  private readonly transactions = serialisedTransactions((sql) => this.client.query(sql));

  private readonly columnTypes = columnTypeCache(
    (table) =>
      this.all(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
        [table],
      ) as Promise<{ column_name: unknown; data_type: unknown }[]>,
  );

  constructor(private readonly client: pg.Client) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const result = await this.client.query(sql, [...params]);
    return result.rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.client.query(sql, [...params]);
  }

  /** One `INSERT ... SELECT FROM unnest(...)` with one text array per column, cast to the column types. */
  async insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options: { readonly ignoreConflicts?: boolean } = {},
  ): Promise<void> {
    if (rows.length === 0) return;
    const types = await this.columnTypes(checkIdentifier(table));
    const arrays = columns.map((_, i) => rows.map((row) => sqlText(row[i] ?? null)));
    const names = columns.map((_, i) => `c${i}`);
    const casts = columns.map((c, i) => `u.c${i}::${types.get(checkIdentifier(c)) ?? "text"}`).join(", ");
    const sources = columns.map((_, i) => `$${i + 1}::text[]`).join(", ");
    await this.client.query(
      `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${casts} FROM unnest(${sources}) AS u(${names.join(", ")})${options.ignoreConflicts === true ? " ON CONFLICT DO NOTHING" : ""}`,
      arrays,
    );
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.transactions.transaction(work);
  }

  async close(): Promise<void> {
    await this.transactions.idle();
    await this.client.end();
  }
}
