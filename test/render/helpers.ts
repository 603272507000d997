// Runs `pgha render` in-process (so tests can watch for connections) and reads the tree it writes.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import net from 'node:net'
import { vi, type MockInstance } from 'vitest'
import { main } from '../../src/cli/index.js'

export const REPO = resolve(__dirname, '../..')
export const PRODUCTION = join(REPO, 'inventory/production.example')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export async function pgha(args: string[]): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true))
  try {
    const code = await main(['node', 'pgha', ...args])
    return { code, stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
    process.exitCode = undefined
  }
}

/** Every socket connection attempted in this process (ssh2 and pg both go through net.Socket). */
export function watchSockets(): MockInstance<net.Socket['connect']> {
  return vi.spyOn(net.Socket.prototype, 'connect')
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `pgha-render-${name}-`))
}

export interface TreeEntry {
  mode: string
  text: string
}

/** path (relative to `dir`) -> octal mode and text, for every file below `dir`. */
export function readTree(dir: string): Record<string, TreeEntry> {
  const out: Record<string, TreeEntry> = {}
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out[relative(dir, p)] = { mode: (statSync(p).mode & 0o7777).toString(8).padStart(4, '0'), text: readFileSync(p, 'utf8') }
    }
  }
  walk(dir)
  return out
}

/** The lab's inventory shape: the fixture copy of inventory/lab.yml next to copies of the shipped group_vars. */
export function labInventory(): string {
  const dir = tempDir('lab-inv')
  mkdirSync(join(dir, 'group_vars'))
  copyFileSync(join(REPO, 'test/fixtures/render/lab.yml'), join(dir, 'lab.yml'))
  for (const f of readdirSync(join(REPO, 'inventory/group_vars'))) copyFileSync(join(REPO, 'inventory/group_vars', f), join(dir, 'group_vars', f))
  return join(dir, 'lab.yml')
}

/** The pg_hba.conf rules pgha writes for repmgr from each address, as arrays of fields: replication, then the repmgr database. */
export function repmgrHbaRows(addresses: string[], method: string, type = 'host'): string[][] {
  return addresses.flatMap((a) => [[type, 'replication', 'repmgr', a, method], [type, 'repmgr', 'repmgr', a, method]])
}
