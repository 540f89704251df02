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
