// Faults on the lab, as an operator meets them. A host that never answers, a network cut
// mid-run, sudo refused, a hanging command, Ctrl-C during a write and during a wait, a full disk under a
// config: each ends in a clear report within a bounded time, and no host is left with a half-written file.
// Everything on the nodes lives under ROOT (and one tmpfs mount), removed afterwards.
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import type { EngineEvent, RunOptions } from '../../src/engine/index.js'
import { INTERRUPT_GRACE_MS } from '../../src/engine/options.js'
import { KEEPALIVE } from '../../src/transport/ssh-connect.js'
import { run, type Run } from '../engine/harness.js'
import { lab, labCut, labExec, labHeal, loginUser, net, skipReason } from './lab-env.js'
import { onNode } from './cluster-helpers.js'
import { throttle, unthrottle } from './fixtures/faults/throttle.js'

const REPO = resolve(__dirname, '../..')
const FIXTURES = resolve(__dirname, 'fixtures/faults')
const ROOT = `/tmp/pgha-e2e-faults-${process.pid}`
const NODES = ['node1', 'node2']
const CONNECT_TIMEOUT_MS = 3000
/** How long an established connection may stay silent before the transport gives the host up. */
const KEEPALIVE_MS = KEEPALIVE.interval * (KEEPALIVE.countMax + 1)
/** Slack on every time bound: enough for a loaded machine, far below anything that looks like a hang. */
const SLACK_MS = 10_000

const sha = (node: string, path: string): Promise<string> => onNode(node, `sha256sum < ${path} | cut -d' ' -f1`)
/** Files pgha's atomic writes stage next to their target (or in /tmp when staged for another user). */
const leftovers = (node: string, dir: string): Promise<string> => onNode(node, `ls -A ${dir} /tmp | grep '^\\.pgha-' || true`)

interface Cli { code: number | null; stdout: string; stderr: string; ms: number }

describe.skipIf(skipReason)('faults on the lab', () => {
  let dir = ''
  let inventory = ''
  const play = (file: string, o: Partial<RunOptions> = {}): Promise<Run> =>
    run({ playbook: join(FIXTURES, file), inventory, connectTimeoutMs: CONNECT_TIMEOUT_MS, ...o })

  /** `pgha run` with plain output as in CI; `during` gets the child and its output so far, to signal it. */
  const cli = (args: string[], during?: (child: ReturnType<typeof spawn>, out: () => string) => void): Promise<Cli> =>
    new Promise((done, fail) => {
      const t0 = Date.now()
      const child = spawn(process.execPath, ['bin/pgha.js', 'run', '-i', inventory, '-T', String(CONNECT_TIMEOUT_MS / 1000), ...args], { cwd: REPO })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', fail)
      child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - t0 }))
      during?.(child, () => stdout)
    })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgha-e2e-faults-'))
    // A copy of the lab inventory without the project's group_vars: these playbooks need none of them.
    inventory = join(dir, 'lab.yml')
    writeFileSync(inventory, readFileSync(lab.inventory, 'utf8'))
    for (const n of NODES) await onNode(n, `install -d -m 0755 ${ROOT} ${ROOT}/ghost ${ROOT}/cut-before ${ROOT}/cut ${ROOT}/int`)
  })

  afterEach(async () => {
    await labHeal()
    for (const n of NODES) await unthrottle(n)
  })

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    for (const n of NODES) await labExec(n, `rm -rf ${ROOT}`)
  })

  describe('a host unreachable from the start', () => {
    /** Every task's status on node1 and node2, and what the third host got. */
    const expectOthersComplete = (r: Run, skip: string[] = []): void => {
      for (const h of NODES.filter((n) => !skip.includes(n))) {
        for (const task of ['hostname', 'a file', 'last']) expect(r.results(task)[h].status, `${task} on ${h}`).toMatch(/^(ok|changed)$/)
        expect(r.recap[h]).toMatchObject({ ok: 3, failed: 0, unreachable: 0 })
      }
    }

    it('an address where nothing answers: exit 4, the host says why, the others complete every task', async () => {
      const inv = parse(readFileSync(lab.inventory, 'utf8')) as { all: { children: { lab: { hosts: Record<string, unknown> } } } }
      const hosts = inv.all.children.lab.hosts
      hosts.node3 = { ...(hosts.node1 as object), ansible_host: `${net.prefix}.99` }
      const withGhost = join(dir, 'ghost.yml')
      writeFileSync(withGhost, stringify(inv))
      const t0 = Date.now()
      const r = await play('reach.yml', { inventory: withGhost, extraVars: [`root=${ROOT}/ghost`] })
      expect(Date.now() - t0).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS)
      expect(r.exitCode).toBe(4)
      const ghost = r.results('hostname').node3
      expect(ghost.status).toBe('unreachable')
      expect(ghost.result.msg).toMatch(new RegExp(`node3.*${net.prefix.replace(/\./g, '\\.')}\\.99`))
      expect(ghost.result.msg).toMatch(/timed out|unreachable|no route/i)
      expect(r.recap.node3).toMatchObject({ unreachable: 1, ok: 0 })
      expectOthersComplete(r)
      for (const n of NODES) expect(await onNode(n, `cat ${ROOT}/ghost/reached`)).toBe('reached')
    })

    it('a node cut off before the run: exit 4, node2 says why, node1 completes every task', async () => {
      await labCut(['node2'])
      const t0 = Date.now()
      const r = await play('reach.yml', { extraVars: [`root=${ROOT}/cut-before`] })
      expect(Date.now() - t0).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS)
      expect(r.exitCode).toBe(4)
      expect(r.results('hostname').node2.status).toBe('unreachable')
      expect(r.results('hostname').node2.result.msg).toMatch(/node2.*(timed out|unreachable|no route)/i)
      expect(r.recap.node2).toMatchObject({ unreachable: 1, ok: 0 })
      expectOthersComplete(r, ['node2'])
    })
  })

  it('a network cut mid-task ends the run in bounded time with node2 unreachable; after healing, re-runs converge', async () => {
    const root = `${ROOT}/cut`
    const extraVars = [`root=${root}`]
    let cutAt = 0
    const stamps: { at: number; e: EngineEvent }[] = []
    const first = await play('cut.yml', {
      extraVars,
      onEvent: (e) => {
        stamps.push({ at: Date.now(), e })
        if (e.type === 'task:start' && e.name === 'slow task' && !cutAt) {
          cutAt = Date.now()
          void labCut(['node2'])
        }
      },
    })
    const endedAt = Date.now()
    expect(cutAt).toBeGreaterThan(0)
    expect(endedAt - cutAt).toBeLessThan(KEEPALIVE_MS + SLACK_MS)
    expect(first.exitCode).toBe(4)
    const lost = first.results('slow task').node2
    expect(lost.status).toBe('unreachable')
    expect(lost.result.msg).toMatch(/node2.*lost/)
    expect(first.results('after').node1.status).toBe('changed')
    expect(Object.keys(first.results('after'))).toEqual(['node1'])
    expect(first.recap.node1).toMatchObject({ ok: 3, changed: 2, failed: 0, unreachable: 0 })
    expect(first.recap.node2).toMatchObject({ changed: 1, unreachable: 1 })

    await labHeal()
    const second = await play('cut.yml', { extraVars })
    expect(second.exitCode).toBe(0)
    expect(second.recap.node1).toMatchObject({ ok: 3, changed: 0 })
    expect(second.recap.node2).toMatchObject({ ok: 3, changed: 1 })
    expect(second.results('after').node2.status).toBe('changed')
    const third = await play('cut.yml', { extraVars })
    expect(third.exitCode).toBe(0)
    for (const h of NODES) expect(third.recap[h]).toMatchObject({ ok: 3, changed: 0 })
    for (const h of NODES) expect(await onNode(h, `cat ${root}/before ${root}/after`)).toBe('before\nafter')
  })

  it('sudo refused (wrong become password): exit 2 quickly, "sudo ... refused", the password in no output', async () => {
    const wrong = `Wrong-${randomBytes(6).toString('hex')}`
    const r = await cli([join(FIXTURES, 'sudo.yml'), '-vvv', '-e', `ansible_user=${loginUser.name}`, '-e', `ansible_become_password=${wrong}`])
    expect(r.code, r.stderr).toBe(2)
    expect(r.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS)
    for (const h of NODES) expect(r.stdout).toMatch(new RegExp(`fatal: \\[${h}\\].*sudo to root refused on ${h}`))
    expect(r.stdout).toMatch(/node1\s+: ok=0 +changed=0 +unreachable=0 +failed=1/)
    expect(r.stdout + r.stderr).not.toContain(wrong)
  })

  it('a hanging command fails at its timeout, the remote command is gone, exit 2', async () => {
    const marker = `300.${process.pid}`
    const r = await play('hang.yml', { extraVars: [`marker=${marker}`] })
    expect(r.exitCode).toBe(2)
    for (const h of NODES) {
      expect(r.results('hang')[h].status).toBe('failed')
      expect(r.results('hang')[h].result.msg).toMatch(/timed out after 3/)
      expect(r.recap[h]).toMatchObject({ ok: 0, failed: 1 })
      expect((await labExec(h, `pgrep -xf 'sleep ${marker}'`)).rc).toBe(1)
    }
    expect(r.tasks()).not.toContain('never reached')
  })

  describe('Ctrl-C', () => {
    const OLD = 'old content\n'
    let src = ''
    beforeAll(() => {
      // Several MB, written through the shell (below the SFTP threshold): about 8 s on a 4 Mbit/s link.
      const data = randomBytes(3 * 1024 * 1024)
      src = join(dir, 'large.bin')
      writeFileSync(src, data)
    })

    /** Sends SIGINT a second after the task's banner shows; the run and how long it took to end after that. */
    const interrupt = async (dest: string, marker: string, task: string): Promise<Cli & { endedAfterMs: number }> => {
      let signalledAt = 0
      const r = await cli([join(FIXTURES, 'interrupt.yml'), '-e', `src=${src}`, '-e', `dest=${dest}`, '-e', `marker=${marker}`], (child, out) => {
        const poll = setInterval(() => {
          if (!out().includes(`TASK [${task}]`)) return
          clearInterval(poll)
          setTimeout(() => {
            signalledAt = Date.now()
            child.kill('SIGINT')
          }, 1000)
        }, 50)
        child.on('close', () => clearInterval(poll))
      })
      expect(signalledAt, `never saw TASK [${task}]`).toBeGreaterThan(0)
      return { ...r, endedAfterMs: Date.now() - signalledAt }
    }

    /** The target holds the old bytes or the new, never a mix, and no temp file remains. */
    const expectWhole = async (dest: string): Promise<string[]> => {
      const states: string[] = []
      const want = createHash('sha256').update(readFileSync(src)).digest('hex')
      const old = createHash('sha256').update(OLD).digest('hex')
      for (const h of NODES) {
        const got = await sha(h, dest)
        expect([old, want], `${dest} on ${h}`).toContain(got)
        states.push(got === want ? 'new' : 'old')
        expect(await leftovers(h, `${ROOT}/int`)).toBe('')
      }
      return states
    }

    it('during the write: recap, exit 130 within the grace period, each host has the old file or the new, no temp file', async () => {
      const dest = `${ROOT}/int/during-write.bin`
      for (const h of NODES) await onNode(h, `install -d ${ROOT}/int && printf '${OLD.replace('\n', '\\n')}' > ${dest}`)
      for (const h of NODES) await throttle(h, '4mbit')
      const marker = `301.${process.pid}`
      const r = await interrupt(dest, marker, 'large file')
      expect(r.code, r.stderr).toBe(130)
      expect(r.endedAfterMs).toBeLessThan(INTERRUPT_GRACE_MS + SLACK_MS)
      expect(r.stderr).toContain('interrupted')
      expect(r.stdout).toContain('PLAY RECAP')
      for (const h of NODES) await unthrottle(h)
      // The hosts finish on their own once the connection is gone: give them a moment, then look.
      await new Promise((res) => setTimeout(res, 3000))
      const states = await expectWhole(dest)
      console.log(`e2e: interrupted write left ${states.join(', ')}`)
      for (const h of NODES) expect((await labExec(h, `pgrep -xf 'sleep ${marker}'`)).rc).toBe(1)
    })

    it('during the wait: recap, exit 130 within the grace period, the new file whole on each host', async () => {
      const dest = `${ROOT}/int/during-wait.bin`
      for (const h of NODES) await onNode(h, `install -d ${ROOT}/int && printf '${OLD.replace('\n', '\\n')}' > ${dest}`)
      const marker = `302.${process.pid}`
      const r = await interrupt(dest, marker, 'wait')
      expect(r.code, r.stderr).toBe(130)
      expect(r.endedAfterMs).toBeLessThan(INTERRUPT_GRACE_MS + SLACK_MS)
      expect(r.stdout).toContain('PLAY RECAP')
      expect(r.stdout).toMatch(/node1\s+: ok=1 +changed=1/)
      expect(await expectWhole(dest)).toEqual(['new', 'new'])
    })
  })

  it('disk full while a config is replaced: the task fails with "No space left", the old file is byte-identical, no temp file', async () => {
    const mnt = `/mnt/pgha-e2e-tiny-${process.pid}`
    const dest = `${mnt}/app.conf`
    const src = join(dir, 'app.conf')
    writeFileSync(src, `${'setting = a new and much longer value\n'.repeat(1100)}`) // ~40 KB
    try {
      // 64 KB: the old config (16 KB) and a filler (32 KB) leave room for only part of the new one.
      await onNode('node1', `mkdir -p ${mnt} && mount -t tmpfs -o size=64k tmpfs ${mnt} && head -c 16384 /dev/urandom | base64 > ${dest} && dd if=/dev/zero of=${mnt}/filler bs=4k count=8 2>/dev/null`)
      const before = await sha('node1', dest)
      const r = await play('disk-full.yml', { limit: 'node1', extraVars: [`src=${src}`, `dest=${dest}`] })
      expect(r.exitCode).toBe(2)
      const failed = r.results('config').node1
      expect(failed.status).toBe('failed')
      expect(failed.result.msg).toMatch(new RegExp(`cannot write ${dest} on node1: .*No space left on device`))
      expect(await sha('node1', dest)).toBe(before)
      expect(await onNode('node1', `ls -A ${mnt}`)).toBe('app.conf\nfiller')
    } finally {
      await labExec('node1', `umount ${mnt}; rmdir ${mnt}`)
    }
  })
})
