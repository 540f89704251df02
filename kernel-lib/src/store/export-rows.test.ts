import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { openDuckDb } from "./duckdb-database";
import { columnType, exportRows } from "./export-rows";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-export-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const when = new Date(Date.UTC(2026, 10, 23, 19, 5, 6, 789));
const ROWS = [
  { id: 1, spacing: 0.139, study_date: "2001-02-03", at: when, finding: 'Mass, "left"', flag: true, none: null },
  { id: 2 ** 40, spacing: null, study_date: null, at: null, finding: "line\nbreak", flag: false, none: null },
];

describe("exportRows", () => {
  it("infers each column's type from all of its values", () => {
    expect(columnType([1, 2 ** 40, null])).toBe("BIGINT");
    expect(columnType([1, 0.5])).toBe("DOUBLE");
    expect(columnType(["2001-02-03", null])).toBe("DATE");
    expect(columnType(["2001-02-03", "PA"])).toBe("VARCHAR");
    expect(columnType([when])).toBe("TIMESTAMP");
    expect(columnType([true, null])).toBe("BOOLEAN");
    expect(columnType([null, undefined])).toBe("VARCHAR");
    expect(columnType([1, "1"])).toBe("VARCHAR");
  });

  it("writes RFC 4180 CSV with quoted commas, quotes and line breaks", async () => {
    const file = path.join(temp, "rows.csv");
    const summary = await exportRows(ROWS, file);
    expect(summary.format).toBe("csv");
    expect(summary.rows).toBe(2);
    expect(fs.readFileSync(file, "utf8")).toBe(
      "id,spacing,study_date,at,finding,flag,none\r\n" +
        '1,0.139,2001-02-03,2026-11-23T19:05:06.789Z,"Mass, ""left""",true,\r\n' +
        '1099511627776,,,,"line\nbreak",false,\r\n',
    );
  });

  it("writes Parquet that DuckDB reads back with the inferred types", async () => {
    const file = path.join(temp, "rows.parquet");
    const summary = await exportRows(ROWS, file);
    expect(summary.columns.map((c) => c.type)).toEqual([
      "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "VARCHAR", "BOOLEAN", "VARCHAR",
    ]); // prettier-ignore
    const db = await openDuckDb(":memory:");
    try {
      const types = await db.all(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${file}')`);
      expect(types.map((t) => t["column_type"])).toEqual([
        "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "VARCHAR", "BOOLEAN", "VARCHAR",
      ]); // prettier-ignore
      expect(await db.all(`SELECT * FROM '${file}' ORDER BY id`)).toEqual([{ ...ROWS[0] }, { ...ROWS[1] }]);
    } finally {
      await db.close();
    }
  });

  it("writes an Arrow IPC file with typed columns", async () => {
    const file = path.join(temp, "rows.arrow");
    await exportRows(ROWS, file);
    const table = tableFromIPC(fs.readFileSync(file));
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      "id:Int64",
      "spacing:Float64",
      "study_date:Date32<DAY>",
      "at:Timestamp<MILLISECOND>",
      "finding:Utf8",
      "flag:Bool",
      "none:Utf8",
    ]);
    expect(table.getChild("id")?.toArray()).toEqual(new BigInt64Array([1n, 2n ** 40n]));
    expect([...(table.getChild("finding") ?? [])]).toEqual(['Mass, "left"', "line\nbreak"]);
    expect(table.getChild("spacing")?.get(1)).toBeNull();
  });

  it("refuses to overwrite, to guess an unknown format, or to write no columns; leaves no partial file", async () => {
    const file = path.join(temp, "rows.csv");
    await expect(exportRows(ROWS, file)).rejects.toMatchObject({ code: "export-exists", evidence: { file } });
    await exportRows(ROWS.slice(0, 1), file, { overwrite: true });
    expect(fs.readFileSync(file, "utf8").split("\r\n")).toHaveLength(3);
    await expect(exportRows(ROWS, path.join(temp, "rows.xlsx"))).rejects.toBeInstanceOf(RadlabError);
    await expect(exportRows(ROWS, path.join(temp, "rows.xlsx"))).rejects.toMatchObject({ code: "export-format" });
    await expect(exportRows([], path.join(temp, "empty.csv"))).rejects.toMatchObject({ code: "export-empty" });
    await exportRows([], path.join(temp, "empty.csv"), { columns: ["a", "b"] });
    expect(fs.readFileSync(path.join(temp, "empty.csv"), "utf8")).toBe("a,b\r\n");
    expect(fs.readdirSync(temp).filter((f) => f.includes("partial"))).toEqual([]);
  });
});
