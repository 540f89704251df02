import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random";

describe("seededRandom", () => {
  it("gives mulberry32's sequence for a seed, the same every time", () => {
    const a = seededRandom(42);
    const first = [a(), a(), a()];
    expect(first[0]).toBe(0.6011037519201636);
    const b = seededRandom(42);
    expect([b(), b(), b()]).toEqual(first);
    expect(seededRandom(43)()).not.toBe(first[0]);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
