import { RadlabError } from "../core/radlab-error";
import { table, type Table } from "../display/table";
import type { DataFrame } from "danfojs";
import type { Database, SqlRow, SqlValue } from "./database";
import { toDataFrame } from "./data-frame";
import { exportRows, type ExportOptions, type ExportSummary } from "./export-rows";

/** The columns of the store's `catalog` view: one row per instance. */
export const CATALOG_COLUMNS = [
  "sha256", "patient_id", "sex", "study_uid", "study_date", "study_description", "series_uid", "modality",
  "body_part", "manufacturer", "model", "sop_instance_uid", "sop_class_uid", "transfer_syntax",
  "instance_number", "rows", "columns", "frames", "pixel_spacing_row", "pixel_spacing_col",
  "slice_thickness", "photometric", "view_position", "object_path", "bytes", "admitted_by",
  "ingested_at", "label", "findings",
] as const; // prettier-ignore

/** A column of the catalog view. */
export type CatalogColumn = (typeof CATALOG_COLUMNS)[number];

/** A comparison in a `where` clause. */
export type Comparison = "=" | "!=" | "<" | "<=" | ">" | ">=" | "like" | "in";

interface Condition {
  readonly column: CatalogColumn;
  readonly op: Comparison;
  readonly value: SqlValue | readonly SqlValue[];
}

interface QueryState {
  readonly conditions: readonly Condition[];
  readonly labels: readonly { readonly set: string; readonly value: string }[];
  readonly columns: readonly CatalogColumn[] | null;
  readonly order: readonly { column: CatalogColumn; descending: boolean }[];
  readonly limit: number | null;
}

const KNOWN = new Set<string>(CATALOG_COLUMNS);

function checkColumn(column: string): CatalogColumn {
  if (!KNOWN.has(column)) {
    throw new RadlabError("unknown-column", `"${column}" is not a column of the catalog.`, {
      hint: `Choose from: ${CATALOG_COLUMNS.join(", ")}.`,
    });
  }
  return column as CatalogColumn;
}

/**
 * A query over the store's catalog (one row per instance, with patient, study, series and labels),
 * built step by step. Every step returns a new query; values are bound as parameters; column names
 * are checked by the compiler and again at run time.
 *
 * @example
 * ```ts
 * const pa = store.catalog().where("view_position", "=", "PA").where("label", "=", "1_abnormal");
 * display(await pa.countBy("sex"));
 * ```
 */
export class CatalogQuery {
  constructor(
    private readonly db: Database,
    private readonly state: QueryState = { conditions: [], labels: [], columns: null, order: [], limit: null },
  ) {}

  /** Keeps the rows where `column op value` holds (`in` takes a list). */
  where(column: CatalogColumn, op: Comparison, value: SqlValue | readonly SqlValue[]): CatalogQuery {
    checkColumn(column);
    if ((op === "in") !== Array.isArray(value)) {
      throw new RadlabError(
        "query",
        `"${op}" on ${column} needs ${op === "in" ? "a list of values" : "a single value"}.`,
      );
    }
    return new CatalogQuery(this.db, { ...this.state, conditions: [...this.state.conditions, { column, op, value }] });
  }

  /**
   * Keeps the instances that carry a label (for example set `nih_finding`, value `Pneumothorax`),
   * through the labels table's index: faster than matching the catalog's joined label text.
   */
  withLabel(set: string, value: string): CatalogQuery {
    return new CatalogQuery(this.db, { ...this.state, labels: [...this.state.labels, { set, value }] });
  }

  /** The columns to return (default all). */
  select(...columns: CatalogColumn[]): CatalogQuery {
    columns.forEach(checkColumn);
    return new CatalogQuery(this.db, { ...this.state, columns });
  }

  /** Sorts by a column, after any earlier sort. */
  orderBy(column: CatalogColumn, direction: "asc" | "desc" = "asc"): CatalogQuery {
    checkColumn(column);
    return new CatalogQuery(this.db, {
      ...this.state,
      order: [...this.state.order, { column, descending: direction === "desc" }],
    });
  }

  /** Returns at most `n` rows. */
  limit(n: number): CatalogQuery {
    if (!Number.isInteger(n) || n < 0) throw new RadlabError("query", `limit must be a whole number >= 0, got ${n}.`);
    return new CatalogQuery(this.db, { ...this.state, limit: n });
  }

  /** The SQL and parameters this query runs. */
  toSql(): { sql: string; params: SqlValue[] } {
    const params: SqlValue[] = [];
    const bind = (value: SqlValue) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = this.state.conditions.map(({ column, op, value }) =>
      op === "in"
        ? `${column} IN (${(value as readonly SqlValue[]).map(bind).join(", ")})`
        : `${column} ${op === "like" ? "LIKE" : op} ${bind(value as SqlValue)}`,
    );
    for (const label of this.state.labels) {
      where.push(
        `sha256 IN (SELECT sha256 FROM labels WHERE label_set = ${bind(label.set)} AND value = ${bind(label.value)})`,
      );
    }
    const columns = this.state.columns === null ? "*" : this.state.columns.join(", ");
    // The label text columns are aggregated per row; a query that neither returns nor tests them
    // reads the lighter view.
    const usesLabelText =
      this.state.columns === null ||
      [
        ...this.state.columns,
        ...this.state.conditions.map((c) => c.column),
        ...this.state.order.map((o) => o.column),
      ].some((c) => c === "label" || c === "findings");
    const view = usesLabelText ? "catalog" : "catalog_core";
    const order = this.state.order.map((o) => `${o.column}${o.descending ? " DESC" : ""}`);
    const sql =
      `SELECT ${columns} FROM ${view}` +
      (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
      (order.length > 0 ? ` ORDER BY ${order.join(", ")}` : "") +
      (this.state.limit === null ? "" : ` LIMIT ${this.state.limit}`);
    return { sql, params };
  }

  /** Runs the query. */
  rows(): Promise<SqlRow[]> {
    const { sql, params } = this.toSql();
    return this.db.all(sql, params);
  }

  /** Counts the matching instances by the given columns, largest groups first. */
  async countBy(...columns: CatalogColumn[]): Promise<Table> {
    columns.forEach(checkColumn);
    const { sql, params } = this.select(...columns).toSql();
    const list = columns.join(", ");
    const rows = await this.db.all(
      `SELECT ${list}, count(*) AS instances FROM (${sql}) q GROUP BY ${list} ORDER BY instances DESC, ${list}`,
      params,
    );
    return table(rows, { caption: `Instances by ${columns.join(" and ")}` });
  }

  /**
   * Runs the query into a danfo.js DataFrame (see {@link toDataFrame}).
   *
   * @example
   * ```ts
   * const df = await store.catalog().select("patient_id", "view_position", "rows").dataFrame();
   * display(df.describe());
   * ```
   */
  async dataFrame(): Promise<DataFrame> {
    return toDataFrame(await this.rows(), this.state.columns ?? CATALOG_COLUMNS);
  }

  /**
   * Runs the query and writes the result to CSV, Parquet or Arrow (see {@link exportRows}).
   *
   * @example
   * ```ts
   * await store.catalog().withLabel("nih_finding", "Pneumothorax").export("pneumothorax.parquet");
   * ```
   */
  async export(file: string, options: ExportOptions = {}): Promise<ExportSummary> {
    return exportRows(await this.rows(), file, { columns: this.state.columns ?? CATALOG_COLUMNS, ...options });
  }

  /** Runs the query and returns a table to display. */
  async table(caption?: string): Promise<Table> {
    return table(await this.rows(), caption === undefined ? {} : { caption });
  }
}
