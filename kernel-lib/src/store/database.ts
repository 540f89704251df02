/** A value bound to a SQL parameter (`$1`, `$2`, ...). */
export type SqlValue = string | number | boolean | null;

/** A row as returned by a query: column name to value (numbers for integers that fit, strings for text). */
export type SqlRow = Record<string, unknown>;

/**
 * The database behind a research store: the embedded engine (DuckDB) or PostgreSQL, through the
 * same calls. Parameters are always bound (`$1`, `$2`...), never spliced into the SQL text.
 */
export interface Database {
  readonly engine: "duckdb" | "postgres";
  /** Runs a statement and returns its rows. */
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement for its effect. */
  run(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /**
   * Inserts many rows through the engine's bulk path (DuckDB's appender, PostgreSQL's `unnest`
   * of one array per column): one statement per call, values never spliced into SQL. Values are
   * sent as text and cast to each column's type. With `ignoreConflicts`, rows whose key is
   * already present are skipped.
   */
  insertMany(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    options?: { readonly ignoreConflicts?: boolean },
  ): Promise<void>;
  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Runs transactions one after another on a single connection, so that two callers never
 * interleave their statements: `run` sends BEGIN, COMMIT and ROLLBACK.
 */
export function serialisedTransactions(run: (sql: string) => Promise<unknown>): {
  transaction<T>(work: () => Promise<T>): Promise<T>;
  idle(): Promise<unknown>;
} {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    transaction<T>(work: () => Promise<T>): Promise<T> {
      const next = queue.then(async () => {
        await run("BEGIN");
        try {
          const result = await work();
          await run("COMMIT");
          return result;
        } catch (error) {
          await run("ROLLBACK");
          throw error;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    idle: () => queue,
  };
}

/**
 * Checks a table or column name that `insertMany` puts into SQL: names come from radlab's own
 * code, never from data, and must be plain lower-case identifiers.
 */
export function checkIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a plain SQL identifier.`);
  return name;
}

/**
 * The bound parameters `$first, $first+1, ...` for `count` values: the list inside an `IN (...)`.
 *
 * @example
 * ```ts
 * parameterList(3, 2); // "$2, $3, $4"
 * ```
 */
export function parameterList(count: number, first = 1): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(", ");
}

/** A value as the text that `insertMany` sends (null stays null). */
export function sqlText(value: SqlValue): string | null {
  return value === null ? null : String(value);
}

/** A timestamp as SQL text both engines read as `TIMESTAMP` (UTC, millisecond precision). */
export function sqlTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * Reads and caches each table's column types, so that bulk inserts can cast text to them.
 * `read` runs a query against `information_schema.columns`.
 */
export function columnTypeCache(
  read: (table: string) => Promise<readonly { column_name: unknown; data_type: unknown }[]>,
): (table: string) => Promise<ReadonlyMap<string, string>> {
  const cache = new Map<string, ReadonlyMap<string, string>>();
  return async (table) => {
    let types = cache.get(table);
    if (types === undefined) {
      types = new Map((await read(table)).map((r) => [String(r.column_name), String(r.data_type)]));
      if (types.size === 0) throw new Error(`Table ${table} does not exist.`);
      cache.set(table, types);
    }
    return types;
  };
}
