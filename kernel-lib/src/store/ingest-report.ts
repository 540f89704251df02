import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import { table } from "../display/table";

/** A file that was not stored, and why. */
export interface Rejection {
  /** The file, relative to the folder that was ingested. */
  readonly file: string;
  readonly code: string;
  readonly reason: string;
}

/** What an ingest run did; display it to see the counts and every rejected file with its reason. */
export class IngestReport extends DisplayableValue {
  constructor(
    readonly runId: string,
    readonly source: string,
    readonly added: number,
    readonly duplicates: number,
    readonly rejected: readonly Rejection[],
    readonly seconds: number,
  ) {
    super();
  }

  /** Files seen: added + duplicates + rejected. */
  get files(): number {
    return this.added + this.duplicates + this.rejected.length;
  }

  /** One line: files seen, added, already stored, rejected, and the time taken. */
  get summary(): string {
    return `${this.source}: ${this.files} files, ${this.added} added, ${this.duplicates} already stored, ${this.rejected.length} rejected in ${this.seconds.toFixed(1)} s`;
  }

  toMimeBundle(): MimeBundle {
    const summary = this.summary;
    const rejected = table(
      this.rejected.map((r) => ({ file: r.file, code: r.code, reason: r.reason })),
      { caption: summary, columns: ["file", "code", "reason"] },
    ).toMimeBundle();
    return this.rejected.length === 0
      ? { data: { "text/plain": summary, "text/html": `<p>${summary}</p>` } }
      : rejected;
  }
}
