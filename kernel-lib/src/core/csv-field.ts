import { readFileSync } from "node:fs";

/**
 * One CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a comma, a quote or a
 * line break; as it is otherwise.
 *
 * @example
 * ```ts
 * csvField('say "hi", then go'); // '"say ""hi"", then go"'
 * ```
 */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Splits one CSV line into fields: comma-separated, double quotes around fields that hold commas
 * or quotes, `""` for a quote inside them (RFC 4180, without line breaks inside fields).
 *
 * @example
 * ```ts
 * import { parseCsvLine } from "@radlab/kernel";
 * parseCsvLine('a,"b, c","say ""hi"""'); // ["a", "b, c", 'say "hi"']
 * ```
 */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/**
 * Reads a small CSV file with a header row into records (header name to text), skipping blank
 * lines and a UTF-8 byte-order mark.
 *
 * @example
 * ```ts
 * import { readCsvRecords } from "@radlab/kernel";
 * readCsvRecords("../shared/data/cxr/nih1000/labels.csv")[0]; // { file: "...", ... }
 * ```
 */
export function readCsvRecords(file: string): Record<string, string>[] {
  const lines = readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  const [header, ...rows] = lines;
  const names = parseCsvLine(header ?? "");
  return rows.map((line) => Object.fromEntries(parseCsvLine(line).map((v, i) => [names[i] ?? `column${i}`, v])));
}
