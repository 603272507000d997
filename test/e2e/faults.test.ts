// Faults on the lab, as an operator meets them. A host that never answers, a network cut
// mid-run, sudo refused, a hanging command, Ctrl-C during a write and during a wait, a full disk under a
// config: each run ends by itself with a clear report saying which mechanism ended it (the connect
// timeout, the keepalives, sudo's refusal, the command's timeout, the interrupt's grace period), and no
// host is left with a half-written file. No test bounds how long that took: vitest's timeout is the guard
// against a run that never ends. Everything on the nodes lives under ROOT (and one tmpfs mount), removed
// afterwards.
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import type { RunOptions } from '../../src/engine/index.js'
import { run, type Run } from '../engine/harness.js'
import { lab, labCut, labExec, labHeal, loginUser, net, node, skipReason } from './lab-env.js'
import { onNode } from './cluster-helpers.js'
import { throttle, unthrottle } from './fixtures/faults/throttle.js'

const REPO = resolve(__dirname, '../..')
const FIXTURES = resolve(__dirname, 'fixtures/faults')
const ROOT = `/tmp/pgha-e2e-faults-${process.pid}`
const NODES = ['node1', 'node2']
const CONNECT_TIMEOUT_MS = 3000
/** `text` matched literally inside a RegExp. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/**
 * Why a connection to `host` was never made, as pgha says it: the connect timeout (-T) fired, or the
 * kernel gave up resolving the address on the link (a host that is off the network answers no ARP).
 */
const cannotConnect = (host: string, address: string): RegExp =>
  new RegExp(`^cannot connect to ${host} \\(\\S+@${literal(address)}:22\\): (timed out after ${CONNECT_TIMEOUT_MS / 1000}s|no route to host)$`)
/** The result lines of the plain output (`changed: [node1]`, `fatal: [node2]: ...`). */
const RESULT_LINE = /^(ok|changed|skipping|failed|fatal): \[/m

const sha = (node: string, path: string): Promise<string> => onNode(node, `sha256sum < ${path} | cut -d' ' -f1`)
/** Files pgha's atomic writes stage next to their target (or in /tmp when staged for another user). */
const leftovers = (node: string, dir: string): Promise<string> => onNode(node, `ls -A ${dir} /tmp | grep '^\\.pgha-' || true`)

/** How `pgha run` ended: `signal` is set only when a signal killed it rather than pgha exiting. */
interface Cli { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

describe.skipIf(skipReason)('faults on the lab', () => {
  let dir = ''
  let inventory = ''
  const play = (file: string, o: Partial<RunOptions> = {}): Promise<Run> =>
    run({ playbook: join(FIXTURES, file), inventory, connectTimeoutMs: CONNECT_TIMEOUT_MS, ...o })

  /** `pgha run` with plain output as in CI; `during` gets the child and its output so far, to signal it. */
  const cli = (args: string[], during?: (child: ReturnType<typeof spawn>, out: () => string) => void): Promise<Cli> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, ['bin/pgha.js', 'run', '-i', inventory, '-T', String(CONNECT_TIMEOUT_MS / 1000), ...args], { cwd: REPO })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', fail)
      child.on('close', (code, signal) => done({ code, signal, stdout, stderr }))
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

    it('an address where nothing answers: exit 4, node3 unreachable through the connect timeout or no route, the others complete every task', async () => {
      const inv = parse(readFileSync(lab.inventory, 'utf8')) as { all: { children: { lab: { hosts: Record<string, unknown> } } } }
      const hosts = inv.all.children.lab.hosts
      hosts.node3 = { ...(hosts.node1 as object), ansible_host: `${net.prefix}.99` }
      const withGhost = join(dir, 'ghost.yml')
      writeFileSync(withGhost, stringify(inv))
      const r = await play('reach.yml', { inventory: withGhost, extraVars: [`root=${ROOT}/ghost`] })
      expect(r.exitCode).toBe(4)
      const ghost = r.results('hostname').node3
      expect(ghost.status).toBe('unreachable')
      expect(ghost.result.msg).toMatch(cannotConnect('node3', `${net.prefix}.99`))
      expect(r.recap.node3).toMatchObject({ unreachable: 1, ok: 0 })
      expectOthersComplete(r)
      for (const n of NODES) expect(await onNode(n, `cat ${ROOT}/ghost/reached`)).toBe('reached')
    })

    it('a node cut off before the run: exit 4, node2 unreachable through the connect timeout or no route, node1 completes every task', async () => {
      await labCut(['node2'])
      const r = await play('reach.yml', { extraVars: [`root=${ROOT}/cut-before`] })
      expect(r.exitCode).toBe(4)
      expect(r.results('hostname').node2.status).toBe('unreachable')
      expect(r.results('hostname').node2.result.msg).toMatch(cannotConnect('node2', node('node2').address))
      expect(r.recap.node2).toMatchObject({ unreachable: 1, ok: 0 })
      expectOthersComplete(r, ['node2'])
    })
  })

  it('a network cut mid-task: node2 given up through its unanswered keepalives, exit 4, node1 completes; after healing, re-runs converge', async () => {
    const root = `${ROOT}/cut`
    const extraVars = [`root=${root}`]
    let cut = false
    // Cut while `sleep 4` runs on node2: only the keepalives can tell that the silent connection is dead.
    const first = await play('cut.yml', {
      extraVars,
      onEvent: (e) => {
        if (e.type === 'task:start' && e.name === 'slow task' && !cut) {
          cut = true
          void labCut(['node2'])
        }
      },
    })
    expect(cut).toBe(true)
    expect(first.exitCode).toBe(4)
    expect(first.results('before').node2.status).toBe('changed')
    const lost = first.results('slow task').node2
    expect(lost.status).toBe('unreachable')
    expect(lost.result.msg).toMatch(new RegExp(`^connection to node2 \\(${literal(node('node2').address)}\\) lost: the host stopped answering keepalives$`))
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

  it('sudo refused (wrong become password): pgha exits 2 by itself, not left at sudo\'s prompt, "sudo to root refused", the password in no output', async () => {
    const wrong = `Wrong-${randomBytes(6).toString('hex')}`
    const r = await cli([join(FIXTURES, 'sudo.yml'), '-vvv', '-e', `ansible_user=${loginUser.name}`, '-e', `ansible_become_password=${wrong}`])
    expect(r.signal).toBeNull()
    expect(r.code, r.stderr).toBe(2)
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

    /**
     * Sends one SIGINT a second after the task's banner shows (Ctrl-C once: pgha is to finish on its own).
     * Returns the run, what it had printed of the task when the signal went (`task`: from its banner on),
     * and prints how long it took to end after the signal, for the log.
     */
    const interrupt = async (dest: string, marker: string, task: string): Promise<Cli & { before: string; task: string }> => {
      let signalledAt = 0
      let printed = ''
      const r = await cli([join(FIXTURES, 'interrupt.yml'), '-e', `src=${src}`, '-e', `dest=${dest}`, '-e', `marker=${marker}`], (child, out) => {
        const poll = setInterval(() => {
          if (!out().includes(`TASK [${task}]`)) return
          clearInterval(poll)
          setTimeout(() => {
            signalledAt = Date.now()
            printed = out()
            child.kill('SIGINT')
          }, 1000)
        }, 50)
        child.on('close', () => clearInterval(poll))
      })
      expect(signalledAt, `never saw TASK [${task}]`).toBeGreaterThan(0)
      console.log(`e2e: Ctrl-C during "${task}": pgha ended ${((Date.now() - signalledAt) / 1000).toFixed(1)} s after the signal`)
      const at = printed.indexOf(`TASK [${task}]`)
      return { ...r, before: printed.slice(0, at), task: printed.slice(at) }
    }

    /** pgha ended the run itself, as designed for one Ctrl-C: exit 130, what it said, the recap. */
    const expectInterrupted = (r: Cli): void => {
      expect(r.signal, 'pgha was killed by a signal instead of exiting').toBeNull()
      expect(r.code, r.stderr).toBe(130)
      expect(r.stderr).toContain('interrupted: finishing running commands, then stopping')
      expect(r.stdout).toContain('PLAY RECAP')
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

    it('during the write: exit 130 by itself with the recap, the next task never started, each host has the old file or the new, no temp file', async () => {
      const dest = `${ROOT}/int/during-write.bin`
      for (const h of NODES) await onNode(h, `install -d ${ROOT}/int && printf '${OLD.replace('\n', '\\n')}' > ${dest}`)
      for (const h of NODES) await throttle(h, '4mbit')
      const marker = `301.${process.pid}`
      const r = await interrupt(dest, marker, 'large file')
      // The signal landed during the write: its banner was out, no host's result yet.
      expect(r.task).not.toMatch(RESULT_LINE)
      expectInterrupted(r)
      expect(r.stdout).not.toContain('TASK [wait]')
      for (const h of NODES) await unthrottle(h)
      // The hosts finish on their own once the connection is gone: give them a moment, then look.
      await new Promise((res) => setTimeout(res, 3000))
      const states = await expectWhole(dest)
      console.log(`e2e: interrupted write left ${states.join(', ')}`)
      for (const h of NODES) expect((await labExec(h, `pgrep -xf 'sleep ${marker}'`)).rc).toBe(1)
    })

    it('during the wait: exit 130 by itself once the grace period ends the wait (recap ok=1 changed=1 per host), the new file whole on each host', async () => {
      const dest = `${ROOT}/int/during-wait.bin`
      for (const h of NODES) await onNode(h, `install -d ${ROOT}/int && printf '${OLD.replace('\n', '\\n')}' > ${dest}`)
      const marker = `302.${process.pid}`
      const r = await interrupt(dest, marker, 'wait')
      // The signal landed during the wait: the write done on every host, the wait's banner out, no result yet.
      for (const h of NODES) expect(r.before).toMatch(new RegExp(`^changed: \\[${h}\\]`, 'm'))
      expect(r.task).not.toMatch(RESULT_LINE)
      expectInterrupted(r)
      // The sleep lasts minutes: closing the connections after the grace period ended it, so the wait
      // never counts as done, and it is gone from the hosts.
      for (const h of NODES) expect(r.stdout).toMatch(new RegExp(`${h}\\s+: ok=1 +changed=1 `))
      for (const h of NODES) expect((await labExec(h, `pgrep -xf 'sleep ${marker}'`)).rc).toBe(1)
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
