// The engine over real SSH on the lab: hosts in parallel, become through sudo, file owner/mode, host key
// refusals, a command timeout, a host that stops answering mid-run, and --check predicting the real run.
// Everything on the nodes lives under ROOT and one test user, both removed afterwards.
import { spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent, RunOptions } from '../../src/engine/index.js'
import { fingerprint, parseKnownHosts } from '../../src/transport/index.js'
import { run, type HostResult, type Run } from '../engine/harness.js'
import { lab, labExec, loginUser, node, skipReason } from './lab-env.js'

const REPO = resolve(__dirname, '../..')
const FIXTURES = resolve(__dirname, 'fixtures/engine')
const ROOT = `/tmp/pgha-e2e-engine-${process.pid}`
const TEST_USER = 'pgha_e2e_eng'
const NODES = ['node1', 'node2']
/** Stops the sshd processes of the session that runs a given command on a node (see the script). */
const freezeScript = readFileSync(join(FIXTURES, 'freeze-session.sh'), 'utf8')
const AS_DEPLOY = [`ansible_user=${loginUser.name}`, `ansible_become_password=${loginUser.password}`]

/** Runs a shell command inside a node (no SSH involved) and returns its stdout; throws on failure. */
async function onNode(name: string, cmd: string): Promise<string> {
  const r = await labExec(name, cmd)
  if (r.rc !== 0) throw new Error(`${name}: \`${cmd}\` failed (rc ${r.rc}): ${r.stderr}`)
  return r.stdout
}

const statOf = (name: string, paths: string[]): Promise<string> => onNode(name, `stat -c '%n %U %G %a' ${paths.join(' ')}`)

/** An event and when the test saw it. */
interface Stamp { at: number; e: EngineEvent }

function resultAt(stamps: Stamp[], task: string, host: string): { at: number; e: HostResult } {
  const s = stamps.find((x) => x.e.type === 'host:result' && x.e.task === task && x.e.host === host)
  if (!s) throw new Error(`no result for ${task} on ${host}`)
  return s as { at: number; e: HostResult }
}

/** `task / host: status` for every result of a run, sorted: what --check must predict. */
const outcomes = (r: Run): string[] =>
  r.events.flatMap((e) => (e.type === 'host:result' ? [`${e.task} / ${e.host}: ${e.status}`] : [])).sort()

describe.skipIf(skipReason)('engine over ssh on the lab', () => {
  let dir = ''
  let inventory = ''
  const play = (file: string, o: Partial<RunOptions> = {}): Promise<Run> =>
    run({ playbook: join(FIXTURES, file), inventory, ...o })

  /** `pgha run` as a user types it, with --output json; the parsed document and the exit code. */
  const cli = (args: string[]): Promise<{ code: number | null; doc: CliDoc; stderr: string }> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, ['bin/pgha.js', 'run', '-i', inventory, '--output', 'json', ...args], { cwd: REPO })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', fail)
      child.on('close', (code) => {
        try {
          done({ code, doc: JSON.parse(stdout) as CliDoc, stderr })
        } catch {
          fail(new Error(`pgha run exited ${code} without a JSON document:\n${stdout}\n${stderr}`))
        }
      })
    })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgha-e2e-engine-'))
    // A copy of the lab inventory without the project's group_vars: these tests need none of them.
    inventory = join(dir, 'lab.yml')
    copyFileSync(lab.inventory, inventory)
    for (const n of NODES) await onNode(n, `id -u ${TEST_USER} >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin ${TEST_USER}; install -d -m 0755 ${ROOT}`)
  })

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    for (const n of NODES) await labExec(n, `rm -rf ${ROOT}; userdel ${TEST_USER}`)
  })

  it('runs a task on both hosts at the same time', async () => {
    const stamps: Stamp[] = []
    const r = await play('parallel.yml', { onEvent: (e) => stamps.push({ at: Date.now(), e }) })
    expect(r.exitCode).toBe(0)
    const spans = NODES.map((h) => {
      const { at, e } = resultAt(stamps, 'sleep two seconds', h)
      return { start: at - e.durationMs, end: at }
    })
    // Both sleeps began before either ended; run one after the other, the second would begin after the first ended.
    expect(Math.max(...spans.map((s) => s.start))).toBeLessThan(Math.min(...spans.map((s) => s.end)))
  })

  it('becomes root from deploy with the sudo password, then the test user, and writes files as each', async () => {
    const root = `${ROOT}/become-deploy`
    const r = await play('become.yml', { extraVars: [`root=${root}`, `test_user=${TEST_USER}`, ...AS_DEPLOY] })
    expect(r.exitCode).toBe(0)
    for (const h of NODES) {
      expect(r.results('who is root')[h].result.stdout).toBe('root')
      expect(r.results('who is the test user')[h].result.stdout).toBe(TEST_USER)
      expect(await statOf(h, [`${root}/by-root`, `${root}/user`, `${root}/user/by-user`])).toBe(
        `${root}/by-root root root 600\n${root}/user ${TEST_USER} root 700\n${root}/user/by-user ${TEST_USER} ${TEST_USER} 640`,
      )
      expect(await onNode(h, `cat ${root}/by-root ${root}/user/by-user`)).toBe(`written by root\nwritten by ${TEST_USER}`)
    }
    // The password was given on the command line; it must not reach any event.
    expect(JSON.stringify(r.events)).not.toContain(loginUser.password)
  })

  it('becomes the test user from root, without a password', async () => {
    const root = `${ROOT}/become-root`
    const r = await play('become.yml', { extraVars: [`root=${root}`, `test_user=${TEST_USER}`] })
    expect(r.exitCode).toBe(0)
    for (const h of NODES) {
      expect(r.results('who is the test user')[h].result.stdout).toBe(TEST_USER)
      expect(await statOf(h, [`${root}/user/by-user`])).toBe(`${root}/user/by-user ${TEST_USER} ${TEST_USER} 640`)
    }
  })

  it('pgha run sets owner, group and mode with copy, template and file, then changes nothing', async () => {
    const root = `${ROOT}/files`
    const args = [join(FIXTURES, 'files.yml'), '-e', `root=${root}`, '-e', `test_user=${TEST_USER}`, ...AS_DEPLOY.flatMap((v) => ['-e', v])]
    const first = await cli(args)
    expect(first.code, first.stderr).toBe(0)
    for (const h of NODES) expect(first.doc.recap[h]).toMatchObject({ ok: 4, changed: 4, failed: 0, unreachable: 0 })
    const d = `${root}/files`
    for (const h of NODES) {
      expect(await statOf(h, [d, `${d}/copied.conf`, `${d}/motd`, `${d}/rendered.conf`])).toBe([
        `${d} deploy ${TEST_USER} 2750`,
        `${d}/copied.conf ${TEST_USER} deploy 640`,
        `${d}/motd deploy deploy 604`,
        `${d}/rendered.conf root ${TEST_USER} 460`,
      ].join('\n'))
      expect(await onNode(h, `cat ${d}/rendered.conf`)).toBe(`# ${h}: rendered as ${TEST_USER}'s group\nport = 5432`)
    }
    expect(JSON.stringify(first.doc)).not.toContain(loginUser.password)
    const second = await cli(args)
    expect(second.code, second.stderr).toBe(0)
    for (const h of NODES) expect(second.doc.recap[h]).toMatchObject({ ok: 4, changed: 0 })
  })

  describe('host keys', () => {
    const labKeys = (): ReturnType<typeof parseKnownHosts> => parseKnownHosts(readFileSync(lab.knownHosts, 'utf8'))
    const keysOf = (name: string): ReturnType<typeof parseKnownHosts> => labKeys().filter((k) => k.patterns.split(',').includes(node(name).address))
    const reach = (knownHosts: string, ...flags: string[]): ReturnType<typeof cli> =>
      cli([join(FIXTURES, 'reach.yml'), '-e', `pgha_known_hosts_file=${knownHosts}`, ...flags])
    const hostnameTask = (doc: CliDoc): Record<string, JsonEntry> => doc.plays[0].tasks[0].hosts

    it('refuses node1 when known_hosts holds another key for it, and still runs node2', async () => {
      // node1's entries carry node2's keys: same types, different keys, as after a reinstall.
      const wrong = join(dir, 'wrong_known_hosts')
      const lines = [
        ...keysOf('node2').map((k) => `${node('node1').address} ${k.keyType} ${k.key}`),
        ...keysOf('node2').map((k) => `${node('node2').address} ${k.keyType} ${k.key}`),
      ]
      writeFileSync(wrong, `${lines.join('\n')}\n`)
      const r = await reach(wrong)
      expect(r.code).toBe(4)
      const hosts = hostnameTask(r.doc)
      expect(hosts.node1.status).toBe('unreachable')
      expect(hosts.node1.result.msg).toContain('changed')
      // The message names the key node1 really offered.
      expect(keysOf('node1').some((k) => String(hosts.node1.result.msg).includes(fingerprint(k.key)))).toBe(true)
      expect(hosts.node2.status).toBe('changed')
      expect(hosts.node2.result.stdout).toBe('node2')
      expect(r.doc.recap.node1).toMatchObject({ unreachable: 1, ok: 0 })
    })

    it('refuses unknown keys naming --accept-new-host-keys, which records them', async () => {
      const empty = join(dir, 'empty_known_hosts')
      writeFileSync(empty, '')
      const refused = await reach(empty)
      expect(refused.code).toBe(4)
      for (const h of NODES) {
        expect(hostnameTask(refused.doc)[h].status).toBe('unreachable')
        expect(hostnameTask(refused.doc)[h].result.msg).toContain('--accept-new-host-keys')
      }
      expect(readFileSync(empty, 'utf8')).toBe('')

      const accepted = await reach(empty, '--accept-new-host-keys')
      expect(accepted.code, accepted.stderr).toBe(0)
      const recorded = parseKnownHosts(readFileSync(empty, 'utf8'))
      for (const h of NODES) {
        const mine = recorded.filter((k) => k.patterns === node(h).address)
        expect(mine).toHaveLength(1)
        expect(keysOf(h).map((k) => k.key)).toContain(mine[0].key)
      }
      expect((await reach(empty)).code).toBe(0)
    })
  })

  it('fails a command that outlives its timeout, kills it on the host, and drops the host from the play', async () => {
    const marker = `47.${process.pid}`
    const r = await play('timeout.yml', { extraVars: [`marker=${marker}`] })
    expect(r.exitCode).toBe(2)
    const hang = r.results('hang')
    expect(hang.node1.status).toBe('failed')
    expect(hang.node1.result.msg).toMatch(/timed out after 2/)
    expect(Object.keys(r.results('after the hang'))).toEqual(['node2'])
    expect(r.recap.node1).toMatchObject({ ok: 0, failed: 1 })
    expect(r.recap.node2).toMatchObject({ ok: 1, skipped: 1, failed: 0 })
    expect((await labExec('node1', `pgrep -xf 'sleep ${marker}'`)).rc).toBe(1)
  })

  it('reports a host whose SSH session stops answering mid-task as unreachable; the other host finishes', async () => {
    const marker = `61.${process.pid}`
    const running = play('stopped.yml', { extraVars: [`marker=${marker}`, `root=${ROOT}`] })
    let frozen = ''
    try {
      for (let i = 0; i < 100 && !frozen; i++) {
        const f = await labExec('node1', ['sh', '-c', freezeScript, 'freeze', `sleep ${marker}`])
        if (f.rc === 0) frozen = f.stdout.trim()
        else await new Promise((res) => setTimeout(res, 100))
      }
      expect(frozen).not.toBe('')
      // Bounded, so a run that never notices fails here instead of hanging until the sleep ends.
      const noticed = new Promise<never>((_, fail) => setTimeout(() => fail(new Error('node1 was never reported unreachable')), 40_000).unref())
      const r = await Promise.race([running, noticed])
      expect(r.exitCode).toBe(4)
      const lost = r.results('long task').node1
      expect(lost.status).toBe('unreachable')
      expect(lost.result.msg).toMatch(/node1.*(lost|keepalive)/)
      expect(r.results('long task').node2.status).toBe('changed')
      expect(Object.keys(r.results('first after'))).toEqual(['node2'])
      expect(r.results('second after').node2.status).toBe('changed')
      expect(r.recap.node1).toMatchObject({ ok: 1, unreachable: 1 })
      expect(r.recap.node2).toMatchObject({ ok: 4, failed: 0, unreachable: 0 })
      expect(await onNode('node2', `cat ${ROOT}/after-stop`)).toBe('done')
    } finally {
      await labExec('node1', `${frozen ? `kill -KILL ${frozen};` : ''} pkill -xf 'sleep ${marker}'; true`)
      await running.catch(() => undefined)
    }
  })

  it('--check touches nothing and reports exactly the changes the real run makes; a third run changes nothing', async () => {
    const root = `${ROOT}/converge`
    const extraVars = [`root=${root}`]
    for (const n of NODES) await onNode(n, `install -d -m 0755 ${root}`)
    const listing = (): Promise<string[]> =>
      Promise.all(NODES.map((n) => onNode(n, `find ${root} -printf '%p %y %U:%G %m %s %T@ %l\\n' | sort`)))
    const before = await listing()
    const check = await play('converge.yml', { check: true, extraVars })
    expect(check.exitCode).toBe(0)
    expect(await listing()).toEqual(before)
    const real = await play('converge.yml', { extraVars })
    expect(real.exitCode).toBe(0)
    expect(outcomes(check)).toEqual(outcomes(real))
    expect(outcomes(real).filter((o) => o.endsWith(': changed'))).toHaveLength(2 * 11)
    expect(await onNode('node1', `cat ${root}/node1/events; readlink ${root}/node1/current`)).toBe(`reloaded\n${root}/node1/conf.d`)
    const third = await play('converge.yml', { extraVars })
    expect(third.exitCode).toBe(0)
    for (const h of NODES) expect(third.recap[h]).toMatchObject({ ok: 11, changed: 0 })
  })
})

interface JsonEntry { status: string; result: Record<string, unknown> }
interface CliDoc {
  plays: { name: string; tasks: { name: string; hosts: Record<string, JsonEntry> }[] }[]
  recap: Record<string, Record<string, number>>
}
