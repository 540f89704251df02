import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection } from "@duckdb/node-api";
import { serialisedTransactions, type Database, type SqlRow, type SqlValue } from "./database";

/** Opens (or creates) a DuckDB database file; `:memory:` for a throwaway one. */
export async function openDuckDb(path: string): Promise<Database> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  return new DuckDbDatabase(instance, connection);
}

class DuckDbDatabase implements Database {
  readonly engine = "duckdb" as const;

  private readonly transactions = serialisedTransactions((sql) => this.connection.run(sql));

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    const reader = await this.connection.runAndReadAll(sql, [...params]);
    const names = reader.columnNames();
    const dates = new Set(reader.columnTypes().flatMap((t, i) => (t.typeId === DuckDBTypeId.DATE ? [names[i]] : [])));
    return reader.getRowObjectsJS().map((row) => normaliseRow(row, dates));
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.connection.run(sql, [...params]);
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.transactions.transaction(work);
  }

  async close(): Promise<void> {
    await this.transactions.idle();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * The row shapes every engine returns: BIGINT as a number when exact, DATE as `YYYY-MM-DD`,
 * TIMESTAMP as a Date.
 */
function normaliseRow(row: Record<string, unknown>, dates: ReadonlySet<string | undefined>): SqlRow {
  const out: SqlRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (dates.has(key) && value instanceof Date) {
      out[key] = value.toISOString().slice(0, 10);
      continue;
    }
    out[key] =
      typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value;
  }
  return out;
}
