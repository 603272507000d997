// The sample config-management playbook (test/fixtures/engine/sample) through the local transport: the first
// run builds each host's tree, the second changes nothing; a --check run touches nothing and reports exactly
// the changes the real run then makes, per task and host, from scratch and after drift.
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { run, snapshot, type Run } from './harness.js'

const sample = resolve(__dirname, '../fixtures/engine/sample')
const HOSTS = ['web1', 'web2']

function sampleRun(root: string, check = false): Promise<Run> {
  return run({ playbook: join(sample, 'site.yml'), inventory: join(sample, 'inventory.ini'), extraVars: [`root=${root}`], check })
}

function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-sample-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const CANNOT_TELL = /cannot tell in check mode/

type Reported = Record<string, { changed: boolean; failed: boolean; items?: boolean[]; touches: string[] }>

/**
 * The changes a run reported per `task/host`: changed or not (ok and skipped both change nothing), each loop
 * item's changed flag, and what each planned change touches. The verb is left out: check mode cannot see an
 * earlier loop item's effect, so it says `create` where the real run, after that item, says `update`.
 */
function reported(r: Run): Reported {
  const out: Reported = {}
  for (const e of r.events) {
    if (e.type !== 'host:result') continue
    const items = Array.isArray(e.result.results) ? (e.result.results as { changed: boolean }[]).map((x) => x.changed) : undefined
    const touches = (e.changes ?? []).map((c) => c.replace(/^\S+ /, ''))
    out[`${e.task}/${e.host}`] = { changed: e.status === 'changed', failed: e.status === 'failed', ...(items ? { items } : {}), touches }
  }
  return out
}

/** Check mode must match the real run, except tasks the module says it cannot predict: those the real run changed. */
function expectCheckMatches(check: Run, real: Run): void {
  const predicted = reported(check)
  const actual = reported(real)
  expect(Object.keys(predicted).sort()).toEqual(Object.keys(actual).sort())
  for (const [key, p] of Object.entries(predicted)) {
    const event = check.events.find((e) => e.type === 'host:result' && `${e.task}/${e.host}` === key)
    const unpredictable = event?.type === 'host:result' && CANNOT_TELL.test(String(event.result.msg))
    if (unpredictable) expect({ key, ...actual[key] }).toEqual({ key, ...p, changed: true })
    else expect({ key, ...p }).toEqual({ key, ...actual[key] })
  }
  expect(Object.values(predicted).some((p) => p.changed)).toBe(true)
}

describe('sample playbook', () => {
  it('converges on the first run and changes nothing on the second', async () => {
    const root = tempRoot()
    const first = await sampleRun(root)
    expect(first.exitCode).toBe(0)
    for (const h of HOSTS) {
      expect(first.recap[h]).toEqual({ ok: 12, changed: 10, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 })
    }
    const tree = snapshot(root)
    expect(tree['web1/etc/app.conf']).toBe('640 # web1: managed by pgha\nlisten = 0.0.0.0\nport = 8080\nupstream alpha = 10.0.0.1\nupstream beta = 10.0.0.2\n')
    expect(tree['web2/etc/conf.d/beta.conf']).toBe('644 server 10.0.0.2:8080\n')
    expect(tree['web1/etc/hosts']).toBe('644 10.0.0.1 alpha\n10.0.0.2 beta\n')
    expect(tree['web2/etc/limits.conf']).toMatch(/# BEGIN ANSIBLE MANAGED BLOCK\nnofile 65536\nnproc 4096\n# END ANSIBLE MANAGED BLOCK\n$/)
    expect(tree['web1/log/events']).toBe('644 restarted\nreloaded\n')
    expect(tree['web1/etc/']).toBe('750')

    const second = await sampleRun(root)
    expect(second.exitCode).toBe(0)
    for (const h of HOSTS) expect(second.recap[h]).toMatchObject({ changed: 0, failed: 0 })
    expect(snapshot(root)).toEqual(tree)
  })

  it('--check on a fresh tree touches nothing and predicts the real run', async () => {
    const root = tempRoot()
    const check = await sampleRun(root, true)
    expect(check.exitCode).toBe(0)
    expect(snapshot(root)).toEqual({})
    expectCheckMatches(check, await sampleRun(root))
  })

  it('--check after drift touches nothing and predicts exactly the repairs', async () => {
    const root = tempRoot()
    await sampleRun(root)
    writeFileSync(join(root, 'web2/etc/app.conf'), 'port = 9999\n')
    writeFileSync(join(root, 'web1/etc/hosts'), '10.9.9.9 alpha\n10.0.0.2 beta\n')
    unlinkSync(join(root, 'web1/etc/motd'))
    const drifted = snapshot(root)
    const check = await sampleRun(root, true)
    expect(snapshot(root)).toEqual(drifted)
    const real = await sampleRun(root)
    expectCheckMatches(check, real)
    expect(real.recap.web1.changed).toBe(2) // the banner and the hosts line; neither notifies
    expect(real.recap.web2.changed).toBe(2) // the configuration, and the restart it notifies
    expect(Object.keys(real.results('restart app'))).toEqual(['web2'])
  })
})
