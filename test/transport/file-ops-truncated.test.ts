// A write whose content arrives cut short (the connection dropped mid-heredoc: sh still runs the command
// with what arrived) must leave the old file as it was and no temp file behind.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { installScript } from '../../src/transport/file-ops.js'

let dir = ''
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the install script under sh with `stdin` as the content that arrived. */
function install(expectedBytes: number, stdin: string): { rc: number | null; stderr: string } {
  dir = mkdtempSync(join(tmpdir(), 'pgha-truncated-'))
  writeFileSync(join(dir, 'app.conf'), 'old\n')
  const script = installScript(join(dir, 'app.conf'), join(dir, '.pgha-test-app.conf'), {}, true, expectedBytes)
  const r = spawnSync('sh', ['-c', script], { input: stdin, encoding: 'utf8' })
  return { rc: r.status, stderr: r.stderr }
}

describe('installScript with content on stdin', () => {
  it('refuses content shorter than announced: old file intact, no temp file', () => {
    const r = install(12, 'new con')
    expect(r.rc).not.toBe(0)
    expect(r.stderr).toContain('received 7 of 12 bytes')
    expect(readFileSync(join(dir, 'app.conf'), 'utf8')).toBe('old\n')
    expect(readdirSync(dir)).toEqual(['app.conf'])
  })

  it('installs content of the announced size', () => {
    const r = install(12, 'new content\n')
    expect(r.rc, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'app.conf'), 'utf8')).toBe('new content\n')
    expect(readdirSync(dir)).toEqual(['app.conf'])
  })
})
