// reboot and wait_for_connection on the lab's nodes over SSH. A node really reboots (its boot id and its
// nspawn change, the lab's launcher boots it again, sshd answers), with become through sudo as Ansible
// runs the plugin, and the recap counts the change. wait_for_connection waits out an sshd stopped for a
// few seconds and a cut link healed meanwhile, and gives up at its timeout, with Ansible's message, on
// a host that refuses or does not answer at all. Only lab nodes are rebooted, never this machine.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { run } from '../engine/harness.js'
import { readdirSync, readFileSync } from 'node:fs'
import { LAUNCHER, labNspawns } from '../../src/lab/processes.js'
import { netnsOf } from '../../src/lab/paths.js'
import { lab, labCut, labExec, labHeal, labReboot, labStatus, loginUser, skipReason } from './lab-env.js'

const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id'
const AS_DEPLOY = [`ansible_user=${loginUser.name}`, `ansible_become_password=${loginUser.password}`]

/** The node's launcher shells (the lab's loop that boots nspawn again after a reboot from inside). */
function launchers(node: string): number[] {
  const flag = `--network-namespace-path=/run/netns/${netnsOf(node)}`
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    try {
      const args = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0')
      return args[3] === LAUNCHER && args.includes(flag)
    } catch {
      return false
    }
  }).map(Number)
}

async function onNode(node: string, cmd: string): Promise<string> {
  const r = await labExec(node, cmd)
  if (r.rc !== 0) throw new Error(`${node}: \`${cmd}\` failed (rc ${r.rc}): ${r.stderr}`)
  return r.stdout.trim()
}

describe.skipIf(skipReason)('reboot and wait_for_connection on lab nodes', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pgha-e2e-reboot-'))
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  afterEach(async () => {
    await labHeal()
    for (const n of lab.nodes) await labExec(n.name, 'systemctl start ssh.service')
  })
  const book = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it('reboots a node as the sudo user: a new boot, sshd back, rebooted: true and changed=1 in the recap', async () => {
    const before = await onNode('node1', BOOT_ID)
    const nspawnBefore = labNspawns().get('node1')
    const path = book('reboot.yml', `
- hosts: node1
  gather_facts: false
  become: true
  tasks:
    - name: reboot
      reboot: { reboot_timeout: 120, connect_timeout: 5, msg: pgha e2e }
      register: r
    - name: show
      debug: { msg: "rebooted={{ r.rebooted }} elapsed={{ r.elapsed }}" }
`)
    const started = Date.now()
    const r = spawnSync(process.execPath, [BIN, 'run', path, '-i', lab.inventory, '--output', 'plain', ...AS_DEPLOY.flatMap((v) => ['-e', v])], { encoding: 'utf8', timeout: 200_000 })
    const seconds = (Date.now() - started) / 1000
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/changed: \[node1\]/)
    expect(r.stdout).toMatch(/rebooted=True elapsed=\d+/)
    expect(r.stdout).toMatch(/node1 : ok=2 changed=1 unreachable=0 failed=0/)
    console.log(`reboot of a lab node through pgha: ${seconds.toFixed(1)} s for the whole run`)
    // A new boot of the same node: new boot id, a new nspawn started by the lab's launcher, systemd up, sshd answering.
    expect(await onNode('node1', BOOT_ID)).not.toBe(before)
    expect(labNspawns().get('node1')).not.toBe(nspawnBefore)
    expect(await onNode('node1', 'systemctl is-system-running --wait')).toMatch(/^(running|degraded)$/)
    const status = (await labStatus()).find((n) => n.name === 'node1')
    expect(status).toMatchObject({ running: true, pid: labNspawns().get('node1') })
    expect(status?.sshd).toMatch(/^SSH-2\.0-OpenSSH/)
  }, 240_000)

  it("the lab's own reboot, clean or hard, leaves one launcher per node, which still boots it again after a reboot from inside", async () => {
    for (const hard of [false, true]) {
      const before = await onNode('node2', BOOT_ID)
      expect(await labReboot('node2', { hard })).toMatch(/^(running|degraded)$/)
      expect(launchers('node2')).toHaveLength(1)
      expect(await onNode('node2', BOOT_ID)).not.toBe(before)
    }
    const nspawn = labNspawns().get('node2')
    const before = await onNode('node2', BOOT_ID)
    await labExec('node2', 'systemctl reboot')
    // Back means a new boot whose systemd has finished starting (sshd included): early in a boot,
    // is-system-running cannot reach systemd yet and answers at once, so its state is checked too.
    const back = async (): Promise<string | undefined> => {
      for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
        const r = await labExec('node2', `systemctl is-system-running --wait; ${BOOT_ID}`).catch(() => undefined)
        const [state, id] = r?.stdout.trim().split('\n') ?? []
        if (id && id !== before && /^(running|degraded)$/.test(state ?? '')) return id
      }
      return undefined
    }
    expect(await back()).toBeDefined()
    expect((await labStatus()).find((n) => n.name === 'node2')?.sshd).toMatch(/^SSH-2\.0-OpenSSH/)
    expect(labNspawns().get('node2')).not.toBe(nspawn)
    expect(launchers('node2')).toHaveLength(1)
  }, 240_000)

  it('waits out an sshd stopped for a few seconds, and then runs the next task over the new login', async () => {
    const path = book('sshd.yml', `
- hosts: node2
  gather_facts: false
  tasks:
    - name: stop sshd for 4 s
      # A timer's default accuracy is a minute: 100 ms makes it start sshd 4 s from now.
      shell: systemd-run --quiet --on-active=4 --timer-property=AccuracySec=100ms systemctl start ssh.service && systemctl stop ssh.service
    - name: wait
      wait_for_connection: { timeout: 60, sleep: 1 }
      register: w
    - name: after
      command: "true"
`)
    const r = await run({ playbook: path, inventory: lab.inventory })
    expect(r.exitCode, JSON.stringify(r.events.filter((e) => e.type === 'host:result'))).toBe(0)
    const w = r.results('wait').node2
    expect(w.status).toBe('ok')
    expect(w.result.elapsed).toBeGreaterThanOrEqual(3)
    expect(w.result.elapsed).toBeLessThan(10)
    expect(r.results('after').node2.status).toBe('changed')
  }, 120_000)

  it('gives up at its timeout on a node whose sshd refuses, with the reason', async () => {
    await onNode('node2', 'systemctl stop ssh.service')
    const path = book('refused.yml', `
- hosts: node2
  gather_facts: false
  tasks:
    - name: wait
      wait_for_connection: { timeout: 3 }
`)
    const r = await run({ playbook: path, inventory: lab.inventory })
    expect(r.exitCode).toBe(2)
    expect(r.results('wait').node2.result).toMatchObject({ failed: true, elapsed: 3 })
    expect(String(r.results('wait').node2.result.msg)).toMatch(/^timed out waiting for ping module test: cannot connect to node2 \(.*\): .*(ECONNREFUSED|refused)/)
  }, 60_000)

  it('waits while the link is cut, bounded by connect_timeout per try, and logs in once it is back', async () => {
    const path = book('cut.yml', `
- hosts: node2
  gather_facts: false
  tasks:
    - name: wait
      wait_for_connection: { timeout: "{{ wait_timeout }}", connect_timeout: 2 }
`)
    await labCut(['node2'])
    // Nothing answers, so each try lasts connect_timeout: 5 s of timeout end the task in about 5 s.
    let started = Date.now()
    const cut = await run({ playbook: path, inventory: lab.inventory, extraVars: ['wait_timeout=5'] })
    expect(cut.exitCode).toBe(2)
    expect(String(cut.results('wait').node2.result.msg)).toMatch(/^timed out waiting for ping module test: /)
    expect((Date.now() - started) / 1000).toBeLessThan(15)
    // Healed 4 s into the wait: the task succeeds.
    started = Date.now()
    const healing = new Promise((resolve) => setTimeout(resolve, 4000)).then(() => labHeal())
    const healed = await run({ playbook: path, inventory: lab.inventory, extraVars: ['wait_timeout=60'] })
    await healing
    expect(healed.exitCode).toBe(0)
    expect(healed.results('wait').node2.result.elapsed).toBeGreaterThanOrEqual(3)
    expect((Date.now() - started) / 1000).toBeLessThan(40)
  }, 120_000)
})
