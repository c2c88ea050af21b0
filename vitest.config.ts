import { defineConfig } from "vitest/config";

// Two projects, both run by `npm test`:
//  - unit: fast tests beside each layer (test/runtime/**, test/kernel/** except integration);
//  - integration: real Jupyter clients, Chromium, the DuckDB differential matrix. They drive the
//    compiled kernel in dist/, so `npm test` builds first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/**/*.int.test.ts", "node_modules/**"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.int.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Real clients start real kernels; keep them from fighting over two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
