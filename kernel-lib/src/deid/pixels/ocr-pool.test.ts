import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createOcrPool } from "./ocr-pool";
import { PixelDeidError } from "./pixel-deid-error";

describe("createOcrPool", () => {
  it("ends worker creation that hangs (language data never arrives) with ocr-timeout", async () => {
    // A server that accepts the request for eng.traineddata and never answers: what tesseract.js
    // sees when it falls back to its CDN without a network.
    const sockets = new Set<Socket>();
    const server = http.createServer(() => undefined);
    server.on("connection", (s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const started = Date.now();
    try {
      const error = await createOcrPool({
        workers: 1,
        langPath: `http://127.0.0.1:${port}`,
        createTimeoutMs: 1500,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PixelDeidError);
      expect((error as PixelDeidError).code).toBe("ocr-timeout");
      expect((error as PixelDeidError).message).toBe(
        `Creating a tesseract.js worker took longer than 1500 ms (language data from http://127.0.0.1:${port}).\nHow to fix: Check that langPath is a local folder holding eng.traineddata.gz (the @tesseract.js-data/eng package), or raise createTimeoutMs.`,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 20_000);

  it("ends a read that takes too long with ocr-timeout, replaces the worker, and refuses reads once terminated", async () => {
    const pool = await createOcrPool({ workers: 1, recogniseTimeoutMs: 1 });
    const image = { width: 1200, height: 800, pixels: new Uint8Array(1200 * 800).fill(200) };
    try {
      await expect(pool.read(image)).rejects.toMatchObject({
        code: "ocr-timeout",
        message:
          "Reading a 1200x800 image took longer than 1 ms.\nHow to fix: Raise recogniseTimeoutMs, or read smaller images.",
      });
    } finally {
      await pool.terminate();
    }
    await expect(pool.read(image)).rejects.toMatchObject({ code: "ocr-pool-closed" });
    await pool.terminate();
  }, 60_000);
});
