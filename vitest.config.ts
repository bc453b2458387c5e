import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database; two workers keep both cores busy without starving Postgres.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"]
  }
})
