import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection } from "@duckdb/node-api";
import {
  checkIdentifier,
  columnTypeCache,
  serialisedTransactions,
  sqlText,
  type Database,
  type SqlRow,
  type SqlValue,
} from "./database";

/** Opens (or creates) a DuckDB database file; `:memory:` for a throwaway one. */
export async function openDuckDb(path: string): Promise<Database> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  return new DuckDbDatabase(instance, connection);
}

class DuckDbDatabase implements Database {
  readonly engine = "duckdb" as const;

  private readonly transactions = serialisedTransactions((sql) => this.connection.run(sql));

  private readonly columnTypes = columnTypeCache(
    (table) =>
      this.all(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 AND table_catalog = current_database()",
        [table],
      ) as Promise<{ column_name: unknown; data_type: unknown }[]>,
  );

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

  /**
   * Appends the rows as text to a temporary staging table (DuckDB's appender, far faster than
   * bound INSERTs), then moves them with one cast `INSERT ... SELECT`.
   */
  async insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options: { readonly ignoreConflicts?: boolean } = {},
  ): Promise<void> {
    if (rows.length === 0) return;
    const types = await this.columnTypes(checkIdentifier(table));
    const stage = `radlab_stage_${table}_${columns.length}`;
    // Not cached: a rolled-back transaction takes a staging table created in it away.
    const list = columns.map((c) => `${checkIdentifier(c)} VARCHAR`).join(", ");
    await this.connection.run(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (${list})`);
    await this.connection.run(`DELETE FROM temp.main.${stage}`);
    const appender = await this.connection.createAppender(stage, "main", "temp");
    try {
      for (const row of rows) {
        for (const value of row) {
          const text = sqlText(value);
          if (text === null) appender.appendNull();
          else appender.appendVarchar(text);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const casts = columns.map((c) => `CAST(${c} AS ${types.get(c) ?? "VARCHAR"})`).join(", ");
    await this.connection.run(
      `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${casts} FROM temp.main.${stage}${options.ignoreConflicts === true ? " ON CONFLICT DO NOTHING" : ""}`,
    );
    await this.connection.run(`DELETE FROM temp.main.${stage}`);
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
