import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkIdentifier, parameterList, sqlTimestamp, type Database } from "./database";
import { openDuckDb } from "./duckdb-database";
import { startLocalPostgres, type LocalPostgres } from "./local-postgres";
import { MIGRATIONS, migrate } from "./migrations";
import { openPostgres } from "./postgres-database";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-db-"));
const open: Database[] = [];
let postgres: LocalPostgres | undefined;
beforeAll(async () => {
  postgres = await startLocalPostgres();
}, 60_000);
afterAll(async () => {
  for (const db of open) await db.close();
  await postgres?.stop();
  fs.rmSync(temp, { recursive: true, force: true });
}, 60_000);

async function fresh(engine: "duckdb" | "postgres", name: string): Promise<Database> {
  const db =
    engine === "duckdb"
      ? await openDuckDb(path.join(temp, `${name}.duckdb`))
      : await openPostgres(await (postgres as LocalPostgres).createDatabase(name));
  open.push(db);
  return db;
}

describe.each(["duckdb", "postgres"] as const)("the database layer (%s)", (engine) => {
  it("bulk-inserts typed values, nulls and quotes, skips existing keys on request, and rolls back with its transaction", async () => {
    const db = await fresh(engine, `bulk_${engine}`);
    await db.run(
      "CREATE TABLE t (k VARCHAR PRIMARY KEY, n INTEGER, x DOUBLE PRECISION, d DATE, ts TIMESTAMP, j JSON, s VARCHAR)",
    );
    const when = new Date(Date.UTC(2026, 10, 23, 18, 4, 5, 678));
    const rows = [
      ["a", 1, 0.5, "2001-02-03", sqlTimestamp(when), '{"x":[1,2]}', `it's "quoted", {braced}`],
      ["b", null, 1e-7, null, null, "null", null],
    ];
    await db.insertMany("t", ["k", "n", "x", "d", "ts", "j", "s"], rows);
    await db.insertMany("t", ["k", "n"], [["a", 99]], { ignoreConflicts: true });
    const got = await db.all("SELECT k, n, x, d, ts, CAST(j AS VARCHAR) AS j, s FROM t ORDER BY k");
    expect(got).toEqual([
      { k: "a", n: 1, x: 0.5, d: "2001-02-03", ts: when, j: '{"x":[1,2]}', s: `it's "quoted", {braced}` },
      { k: "b", n: null, x: 1e-7, d: null, ts: null, j: "null", s: null },
    ]);
    await expect(db.insertMany("t", ["k"], [["a"]])).rejects.toThrow(/duplicate|constraint|unique/i);
    await expect(
      db.transaction(async () => {
        await db.insertMany("t", ["k", "n"], [["c", 3]]);
        throw new Error("crash after the insert");
      }),
    ).rejects.toThrow("crash after the insert");
    await db.insertMany("t", ["k", "n"], [["d", 4]]);
    expect(await db.all("SELECT k FROM t ORDER BY k")).toEqual([{ k: "a" }, { k: "b" }, { k: "d" }]);
  });

  it("upgrades a version-3 store: copies patient, study and series columns onto existing instances", async () => {
    const db = await fresh(engine, `upgrade_${engine}`);
    await db.run(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)",
    );
    for (const m of MIGRATIONS.filter((m) => m.version <= 3)) {
      for (const statement of m.statements) await db.run(statement);
      await db.run("INSERT INTO schema_migrations VALUES ($1, $2, now())", [m.version, m.name]);
    }
    await db.run("INSERT INTO patients VALUES ('P1', 'F', now())");
    await db.run("INSERT INTO studies VALUES ('1.2.3', 'P1', '2020-05-06', 'CHEST')");
    await db.run("INSERT INTO series VALUES ('1.2.3.4', '1.2.3', 'CR', 'CHEST', 'ACME', 'X1', 'PA')");
    await db.run(
      `INSERT INTO instances VALUES ('ab', '1.2.3.4.5', '1.2.3.4', '1.2.840.10008.5.1.4.1.1.1', '1.2.840.10008.1.2.1',
        1, 64, 64, 1, NULL, NULL, NULL, 'MONOCHROME2', 'PA', 'objects/ab/ab.dcm', 10, '{}', 'test', 'run', now())`,
    );
    expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version > 3).map((m) => m.version));
    expect(
      await db.all(
        "SELECT patient_id, sex, study_uid, study_date, study_description, modality, body_part, manufacturer, model FROM catalog",
      ),
    ).toEqual([
      {
        patient_id: "P1",
        sex: "F",
        study_uid: "1.2.3",
        study_date: "2020-05-06",
        study_description: "CHEST",
        modality: "CR",
        body_part: "CHEST",
        manufacturer: "ACME",
        model: "X1",
      },
    ]);
    expect(await migrate(db)).toEqual([]);
  });
});

describe("SQL identifiers in bulk inserts", () => {
  it("accepts plain lower-case names and refuses anything else", () => {
    expect(checkIdentifier("study_date")).toBe("study_date");
    for (const bad of ["t; DROP TABLE x", "Name", "a-b", "", "1st"]) {
      expect(() => checkIdentifier(bad)).toThrow(`"${bad}" is not a plain SQL identifier.`);
    }
  });
});

describe("parameterList", () => {
  it("numbers the bound parameters of an IN list from where the statement's others end", () => {
    expect([parameterList(3), parameterList(2, 4), parameterList(0)]).toEqual(["$1, $2, $3", "$4, $5", ""]);
  });
});
