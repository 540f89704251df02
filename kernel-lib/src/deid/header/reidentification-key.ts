import { createHmac, randomBytes } from "node:crypto";
import { DeidError } from "./deid-error";

/** What the key knows about one patient. */
export interface PatientLink {
  /** The patient's identity in the source: (0010,0020) Patient ID (see {@link patientIdentity}). */
  readonly original: string;
  /** The research ID written as Patient ID and Patient's Name. */
  readonly researchId: string;
  /** Days added to every date of this patient (negative: into the past). The same for all studies. */
  readonly dateOffsetDays: number;
}

/** The plain content of a key, as {@link saveReidentificationKey} encrypts it. Contains the HMAC secret. */
export interface ReidentificationKeyData {
  readonly format: "radlab-reidentification-key";
  readonly version: 1;
  /** The HMAC secret (base64) from which replacement UIDs, date offsets and audit hashes derive. */
  readonly secret: string;
  readonly nextPseudonym: number;
  readonly patients: readonly PatientLink[];
  /** Original UID -> replacement UID. */
  readonly uids: readonly (readonly [string, string])[];
}

const MIN_SHIFT_DAYS = 366;
const MAX_SHIFT_DAYS = 3652;

/**
 * The re-identification key: the link between original and research identities (patient IDs, UIDs,
 * date offsets) and the secret they derive from. It is the one stateful object of de-identification:
 * {@link deidentifyHeader} records every patient and UID it replaces here, so that the same key gives
 * the same research ID, UIDs and date offset to every study of a patient, in any run. Keep it apart
 * from the research store, encrypted ({@link saveReidentificationKey}).
 *
 * Replacement UIDs are `2.25.` UIDs (PS3.5 B.2) made from a UUID (RFC 9562 version 8) whose bits are
 * a keyed HMAC-SHA-256 of the original UID: consistent without a table lookup, not reversible
 * without the secret.
 *
 * @example
 * ```ts
 * import { ReidentificationKey } from "@radlab/kernel";
 * const key = ReidentificationKey.create();
 * key.patient("MRN-123").researchId; // "S001"
 * key.replaceUid("1.2.3.4") === key.replaceUid("1.2.3.4"); // true
 * ```
 */
export class ReidentificationKey {
  readonly #secret: Buffer;
  readonly #patients = new Map<string, PatientLink>();
  readonly #researchIds = new Set<string>();
  readonly #uids = new Map<string, string>();
  #next: number;

  private constructor(secret: Uint8Array, next: number) {
    this.#secret = Buffer.from(secret);
    this.#next = next;
  }

  /**
   * A new, empty key. The secret is 32 random bytes unless given (tests give one to be reproducible).
   *
   * @throws {@link DeidError} `reid-key-format` for a secret shorter than 16 bytes.
   */
  static create(options: { readonly secret?: Uint8Array } = {}): ReidentificationKey {
    const secret = options.secret ?? randomBytes(32);
    if (secret.byteLength < 16)
      throw new DeidError(
        "reid-key-format",
        `A re-identification secret has at least 16 bytes, not ${secret.byteLength}.`,
      );
    return new ReidentificationKey(secret, 1);
  }

  /**
   * Rebuilds a key from its plain content (see {@link loadReidentificationKey} for the encrypted file).
   *
   * @throws {@link DeidError} `reid-key-format` when the content is not a key.
   */
  static fromData(data: unknown): ReidentificationKey {
    const d = data as Partial<ReidentificationKeyData> | null;
    const bad = (what: string) =>
      new DeidError("reid-key-format", `Not a radlab re-identification key: ${what}.`, {
        hint: "Load the file saved by saveReidentificationKey with the same encryption key.",
      });
    if (typeof d !== "object" || d === null || d.format !== "radlab-reidentification-key" || d.version !== 1)
      throw bad("format or version missing");
    if (typeof d.secret !== "string" || !Array.isArray(d.patients) || !Array.isArray(d.uids))
      throw bad("secret, patients or uids missing");
    if (typeof d.nextPseudonym !== "number" || !Number.isInteger(d.nextPseudonym)) throw bad("nextPseudonym missing");
    const key = new ReidentificationKey(Buffer.from(d.secret, "base64"), d.nextPseudonym);
    for (const p of d.patients) {
      if (typeof p?.original !== "string" || typeof p.researchId !== "string" || !Number.isInteger(p.dateOffsetDays))
        throw bad("a patient entry is malformed");
      key.#patients.set(p.original, Object.freeze({ ...p }));
      key.#researchIds.add(p.researchId);
    }
    for (const pair of d.uids) {
      if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string")
        throw bad("a UID entry is malformed");
      key.#uids.set(pair[0], pair[1]);
    }
    return key;
  }

  /** The plain content, secret included: encrypt it before it touches a disk. */
  toData(): ReidentificationKeyData {
    return {
      format: "radlab-reidentification-key",
      version: 1,
      secret: this.#secret.toString("base64"),
      nextPseudonym: this.#next,
      patients: [...this.#patients.values()],
      uids: [...this.#uids.entries()],
    };
  }

  /**
   * The research identity of a patient, assigned on first sight and stable afterwards: the research
   * ID from `enrollment` (original Patient ID -> research ID) when given, otherwise the next pseudonym
   * S001, S002, ... not yet used; and a date offset of -366 to -3652 days derived from the secret.
   *
   * @throws {@link DeidError} `patient-not-enrolled` when `enrollment` is given and lacks the patient;
   *   `enrollment-conflict` when the key already gives the patient another research ID.
   */
  patient(original: string, enrollment?: ReadonlyMap<string, string>): PatientLink {
    const known = this.#patients.get(original);
    const enrolled = enrollment?.get(original);
    if (enrollment !== undefined && enrolled === undefined) {
      throw new DeidError(
        "patient-not-enrolled",
        `A patient in the input is not in the enrollment list (keyed hash ${this.keyedHash(original)}).`,
        {
          rule: "enrollment",
          hint: "Add the patient to the enrollment list, or remove the study from the input: only enrolled patients are de-identified.",
        },
      );
    }
    if (known !== undefined) {
      if (enrolled !== undefined && enrolled !== known.researchId) {
        throw new DeidError(
          "enrollment-conflict",
          `The enrollment list gives research ID ${enrolled} to a patient the key already calls ${known.researchId}.`,
          { rule: "enrollment", hint: "Correct the enrollment list, or use the key that belongs to it." },
        );
      }
      return known;
    }
    let researchId = enrolled;
    if (researchId === undefined) {
      do researchId = `S${String(this.#next++).padStart(3, "0")}`;
      while (this.#researchIds.has(researchId) || isEnrolledId(enrollment, researchId));
    } else if (this.#researchIds.has(researchId)) {
      throw new DeidError(
        "enrollment-conflict",
        `The enrollment list gives research ID ${researchId} to a second patient.`,
        { rule: "enrollment", hint: "Give every patient a distinct research ID." },
      );
    }
    const digest = this.#hmac("date-offset", original);
    const span = MAX_SHIFT_DAYS - MIN_SHIFT_DAYS + 1;
    const link = Object.freeze({
      original,
      researchId,
      dateOffsetDays: -(MIN_SHIFT_DAYS + (digest.readUInt32BE(0) % span)),
    });
    this.#patients.set(original, link);
    this.#researchIds.add(researchId);
    return link;
  }

  /** The replacement of a UID (recorded for the mapping export); the same UID always gives the same one. */
  replaceUid(uid: string): string {
    const known = this.#uids.get(uid);
    if (known !== undefined) return known;
    const bytes = this.#hmac("uid", uid).subarray(0, 16);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80; // UUID version 8 (RFC 9562 5.8)
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
    const replacement = `2.25.${BigInt(`0x${bytes.toString("hex")}`).toString(10)}`;
    this.#uids.set(uid, replacement);
    return replacement;
  }

  /** A keyed hash of a value (16 hex digits), for audit records that must not hold the value. */
  keyedHash(value: string): string {
    return this.#hmac("audit", value).subarray(0, 8).toString("hex");
  }

  /** Every patient the key has seen, in the order they were first seen. */
  patients(): readonly PatientLink[] {
    return [...this.#patients.values()];
  }

  /** Every UID replaced, original -> replacement, in the order first seen. */
  uids(): readonly (readonly [string, string])[] {
    return [...this.#uids.entries()];
  }

  #hmac(purpose: string, value: string): Buffer {
    return createHmac("sha256", this.#secret).update(`${purpose}\0${value}`, "utf8").digest();
  }
}

function isEnrolledId(enrollment: ReadonlyMap<string, string> | undefined, id: string): boolean {
  if (enrollment === undefined) return false;
  for (const value of enrollment.values()) if (value === id) return true;
  return false;
}
