import type * as Danfo from "danfojs";
import type { DataFrame } from "danfojs";
import { toTableCell } from "../display/table";
import type { SqlRow } from "./database";

/**
 * Turns query rows into a danfo.js `DataFrame` (pandas-like: `groupby`, `describe`, `query`,
 * plotting data), for analysis beside the store's own queries. Missing values become `null`,
 * dates ISO text. `display(df)` shows it as a sortable table.
 *
 * A column named like a property of danfo's DataFrame (`columns`, `index`, `shape`, `values`...)
 * gets a trailing `_` (`columns_`): danfo makes each column a property of the frame, and such a
 * name would hide the member.
 *
 * danfo labels integer columns `int32` and other numbers `float32`, but keeps the values as
 * JavaScript numbers: nothing is rounded (a 2^40 byte count stays exact).
 *
 * @param rows - rows from `store.query(...)` or `catalog().rows()`.
 * @param columns - the column order (default: the keys of the rows, in order of first appearance);
 *   needed for an empty result to keep its columns.
 * @example
 * ```ts
 * import { openStore, toDataFrame, display } from "@radlab/kernel";
 * const store = await openStore();
 * const df = toDataFrame(await store.query("SELECT view_position, rows, columns FROM instances"));
 * display(df.groupby(["view_position"]).count());
 * ```
 */
export function toDataFrame(rows: readonly SqlRow[], columns?: readonly string[]): DataFrame {
  // Loaded on first use: danfo brings TensorFlow.js, which takes a second to load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const danfo = require("danfojs") as typeof Danfo;
  const names = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  // danfo makes each column a property of the frame: a column named like one of the frame's own
  // properties ("columns", "index", "shape"...) would shadow it and send danfo into endless
  // recursion. (Methods such as "at" are shadowed harmlessly: danfo does not call them itself.)
  const probe = new danfo.DataFrame([[0]], { columns: ["radlab_probe"] }) as unknown as Record<string, unknown>;
  const safe = names.map((name) => (name in probe && typeof probe[name] !== "function" ? `${name}_` : name));
  if (rows.length === 0) return new danfo.DataFrame([], { columns: safe });
  const data = rows.map((row) => names.map((name) => toTableCell(row[name])));
  return new danfo.DataFrame(data, { columns: safe });
}
