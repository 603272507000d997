// The installed command: bin/pgha.js (built to dist/) run from a directory outside the project finds
// pgha's own playbooks and templates and writes ./render-out there.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PRODUCTION, REPO, tempDir } from './helpers.js'

const cwd = tempDir('bin')
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

beforeAll(() => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8' })
  // tsc emits even when a file in progress elsewhere has a type error: what matters is a fresh render command.
  const fresh = (built: string, source: string): boolean => (statSync(join(REPO, built), { throwIfNoEntry: false })?.mtimeMs ?? 0) >= statSync(join(REPO, source)).mtimeMs
  if (!fresh('dist/cli/commands/render.js', 'src/cli/commands/render.ts') || !fresh('dist/render/walk.js', 'src/render/walk.ts')) {
    throw new Error(`build failed:\n${build.stdout}${build.stderr}`)
  }
}, 180_000)

it('pgha render works from any directory with the shipped site.yml', () => {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/pgha.js'), 'render', '-i', PRODUCTION], { cwd, encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  expect(r.stdout).toMatch(/^node1\s+\d+\s+\d+\s+0$/m)
  expect(readFileSync(join(cwd, 'render-out/node2/usr/local/pgsql/repmgr.conf'), 'utf8')).toMatch(/^node_id=2$/m)
})
