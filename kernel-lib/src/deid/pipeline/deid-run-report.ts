import { escapeHtml } from "../../display/html";
import { DisplayableValue, type MimeBundle } from "../../display/mime-bundle";
import { table } from "../../display/table";

/** A file that did not pass de-identification: written nowhere, listed with its reason. */
export interface QuarantinedFile {
  /** The input file, relative to the input folder. */
  readonly file: string;
  /** Why, as a stable code (`header-phi-remains`, `burned-in-phi`, `not-enrolled`, `dicom-parse`...). */
  readonly code: string;
  /** Why, in words, without PHI values (element paths, rules, counts). */
  readonly reason: string;
  /** Output header elements that still held an original value. */
  readonly elements: readonly string[];
}

/** The counts of a de-identification run. */
export interface DeidRunCounts {
  readonly run: string;
  readonly input: string;
  readonly files: number;
  /** Written and listed in the manifest by this run. */
  readonly passed: number;
  /** Listed in the manifest by an earlier run (a resumed run skips them). */
  readonly alreadyDone: number;
  /** Of `passed`: with burned-in text masked. */
  readonly masked: number;
  readonly quarantined: readonly QuarantinedFile[];
  readonly seconds: number;
}

/**
 * What a de-identification run did: display it to see the counts and the quarantine list, each
 * file with its reason. `ok` is false when anything was quarantined (the command line exits 1).
 */
export class DeidRunReport extends DisplayableValue {
  constructor(readonly counts: DeidRunCounts) {
    super();
  }

  get ok(): boolean {
    return this.counts.quarantined.length === 0;
  }

  get summary(): string {
    const c = this.counts;
    return `${c.input}: ${c.files} files, ${c.passed} de-identified (${c.masked} with burned-in text masked), ${c.alreadyDone} already done, ${c.quarantined.length} quarantined in ${c.seconds.toFixed(1)} s`;
  }

  toJSON(): DeidRunCounts & { readonly summary: string } {
    return { ...this.counts, summary: this.summary };
  }

  toMimeBundle(): MimeBundle {
    if (this.ok) return { data: { "text/plain": this.summary, "text/html": `<p>${escapeHtml(this.summary)}</p>` } };
    return table(
      this.counts.quarantined.map((q) => ({ file: q.file, code: q.code, reason: q.reason })),
      { caption: `Quarantine: ${this.summary}`, columns: ["file", "code", "reason"] },
    ).toMimeBundle();
  }
}
