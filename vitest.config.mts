import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * One vitest run for the whole repository, in three projects: the kernel library (Node), the
 * JupyterLab extension (jsdom), and the integration tests under test/ (notebooks executed in the
 * real tslab kernel, which need `make setup` first).
 */
export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: "build/reports/vitest.json" }]],
    projects: [
      {
        test: { name: "kernel-lib", include: ["kernel-lib/src/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: {
          alias: {
            "@radlab/kernel/contract": path.resolve(
              path.dirname(fileURLToPath(import.meta.url)),
              "kernel-lib/src/display/contract/index.ts",
            ),
          },
        },
        test: {
          name: "jupyterlab-ext",
          include: ["jupyterlab-ext/src/**/*.test.ts"],
          environment: "jsdom",
          setupFiles: ["jupyterlab-ext/src/test-setup.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          environment: "node",
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
