import { defineConfig } from 'vitest/config'

// Two projects: `unit` runs in seconds on the fake and local transports; `e2e` boots the lab
// (real sshd, systemd, PostgreSQL) once through a global setup and runs against it.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          testTimeout: 20_000,
          // Hooks start and stop throwaway PostgreSQL servers and sshds: pg_ctl stop -w of several servers
          // outlasts the 10 s default on a loaded machine without anything being wrong.
          hookTimeout: 60_000,
          globalSetup: ['test/built.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/built.ts', 'test/e2e/global-setup.ts'],
          // Bounded so a hang fails in minutes, with room for a fresh cluster build on a loaded machine.
          testTimeout: 420_000,
          hookTimeout: 600_000,
          // One lab, so one file at a time: a project cannot set fileParallelism (vitest reads it from the
          // root config only), but it can run its files one after another in a single fork.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
})
