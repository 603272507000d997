// The installed command: bin/pgha.js (dist/pgha.cjs, built by test/built.ts) run from a directory outside
// the project finds pgha's own playbooks and templates and writes ./render-out there.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { PRODUCTION, tempDir } from './helpers.js'

const cwd = tempDir('bin')
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

it('pgha render works from any directory with the shipped site.yml', () => {
  const r = spawnSync(process.execPath, [BIN, 'render', '-i', PRODUCTION], { cwd, encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  expect(r.stdout).toMatch(/^node1\s+\d+\s+\d+\s+0$/m)
  expect(readFileSync(join(cwd, 'render-out/node2/usr/local/pgsql/repmgr.conf'), 'utf8')).toMatch(/^node_id=2$/m)
})
