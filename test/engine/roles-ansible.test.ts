// The same role playbooks run by ansible-playbook and by pgha, on the same two local hosts with the same
// inventory and extra vars: what each host printed (every debug message, in order), the recap and the files
// written must agree. Runs where ansible-playbook is installed (CI installs Debian's ansible-core).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/engine/index.js'
import { ansibleInstalled as ansible, ansiblePlaybook, tempDir as oracleDir } from './ansible-oracle.js'
import { run } from './harness.js'
import { ROLE_INVENTORY, roleFixtures } from './role-fixtures.js'

const fixtures = roleFixtures


interface Outcome {
  /** Per host, every message printed, in order. */
  printed: Record<string, string[]>
  recap: Record<string, { ok: number; changed: number; failed: number; skipped: number }>
  files: Record<string, string>
}

/** ansible-playbook's default output: `ok: [h1] => {` and the result's JSON up to a `}` alone on its line; the recap. */
function parseAnsible(stdout: string): Omit<Outcome, 'files'> {
  const printed: Record<string, string[]> = {}
  const recap: Outcome['recap'] = {}
  const lines = stdout.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const start = /^(?:ok|changed): \[(\w+)\] => \{$/.exec(lines[i])
    if (start) {
      const end = lines.indexOf('}', i)
      const result = JSON.parse(lines.slice(i, end + 1).join('\n').slice(lines[i].indexOf('{'))) as { msg?: unknown }
      if (typeof result.msg === 'string') (printed[start[1]] ??= []).push(result.msg)
      i = end
      continue
    }
    const counts = /^(\w+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)\s+skipped=(\d+)/.exec(lines[i])
    if (counts) recap[counts[1]] = { ok: +counts[2], changed: +counts[3], failed: +counts[4], skipped: +counts[5] }
  }
  return { printed, recap }
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => f.startsWith('h')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
}

const tempDir = (): string => oracleDir('pgha-roles-ansible')

describe.skipIf(!ansible)('roles as ansible-playbook runs them', () => {
  it('prints the same variables, counts the same recap and writes the same files', async () => {
    const theirsDir = tempDir()
    const mineDir = tempDir()
    const inventory = join(theirsDir, 'inventory.ini')
    writeFileSync(inventory, ROLE_INVENTORY)
    const extra = (out: string) => ['v_extra=extra', 'before_public=not-yet', `out=${out}`]
    const r = ansiblePlaybook(['-i', inventory, join(fixtures, 'all.yml'), ...extra(theirsDir).flatMap((e) => ['-e', e])], theirsDir, {
      env: { ANSIBLE_ROLES_PATH: join(theirsDir, 'no-roles') },
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const theirs: Outcome = { ...parseAnsible(r.stdout), files: files(theirsDir) }
    // What Ansible printed is read: the precedence rows, every play's messages, the files of both hosts.
    expect(theirs.printed.h1).toContain('role default|inventory|play vars|role vars|set_fact|role param|extra')
    expect(theirs.printed.h2).toHaveLength(theirs.printed.h1.length)
    expect(Object.keys(theirs.files).sort()).toEqual(['h1-motd', 'h1-site.conf', 'h2-motd', 'h2-site.conf'])

    const mine = await run({ playbook: join(fixtures, 'all.yml'), inventory, extraVars: extra(mineDir) })
    expect(mine.exitCode).toBe(0)
    const printed: Outcome['printed'] = {}
    for (const e of mine.events as EngineEvent[]) {
      if (e.type === 'host:result' && typeof e.result.msg === 'string' && e.status !== 'skipped' && e.status !== 'included') (printed[e.host] ??= []).push(e.result.msg)
    }
    const recap = Object.fromEntries(Object.entries(mine.recap).map(([h, c]) => [h, { ok: c.ok, changed: c.changed, failed: c.failed, skipped: c.skipped }]))
    expect({ printed, recap, files: files(mineDir) }).toEqual(theirs)
  }, 300_000)
})
