// The run server (src/persist, pgha's ControlPersist) over real SSH on the lab, as a user meets it: `pgha
// run` typed again within PGHA_PERSIST seconds is run by the server the first run left, with the same
// output and exit code as a run of its own, over the SSH logins of the run before (the same TCP
// connections), repairing drift; Ctrl-C stops it as it stops a run of its own; a server killed mid-run or
// a login killed on the node between runs never hangs or fails the client. Each test has its own server
// (a private XDG_RUNTIME_DIR, test/persist/served.ts), killed after it.
import { execFileSync, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { isRunning } from '../processes.js'
import { dropRuntime, pgha, privateRuntime, serverOf, serverPids, sockets, waitFor, type PghaResult } from '../persist/served.js'
import { lab, labExec, skipReason } from './lab-env.js'

const NODES = ['node1', 'node2']
const ROOT = `/tmp/pgha-e2e-persist-${process.pid}`
const SLEEP = 'sleep 60'

async function onNode(name: string, cmd: string): Promise<string> {
  const r = await labExec(name, cmd)
  if (r.rc !== 0) throw new Error(`${name}: \`${cmd}\` failed (rc ${r.rc}): ${r.stderr}`)
  return r.stdout.trim()
}

/** The pids of `sleep 60` on a node (the long task's command). */
const sleepsOn = async (name: string): Promise<number[]> =>
  (await labExec(name, `pgrep -xf '${SLEEP}' || true`)).stdout.split('\n').filter(Boolean).map(Number)

/** Polls the `sleep 60` pids of every node until `ready` holds; throws with `what` after `ms`. */
async function waitForNodes(what: string, ready: (sleeps: number[][]) => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  let sleeps = await Promise.all(NODES.map(sleepsOn))
  while (!ready(sleeps)) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}: sleeps ${JSON.stringify(sleeps)}`)
    await new Promise((res) => setTimeout(res, 100))
    sleeps = await Promise.all(NODES.map(sleepsOn))
  }
}

/** This machine's ESTABLISHED connections of `pid` to port 22 of a lab node: node name to local port. */
function sshConnections(pid: number): Record<string, number[]> {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', '( dport = :22 )'], { encoding: 'utf8' })
  const byNode: Record<string, number[]> = {}
  for (const line of out.split('\n')) {
    if (!line.includes(`pid=${pid},`)) continue
    const [local, peer] = line.trim().split(/\s+/).slice(2, 4)
    const name = lab.nodes.find((n) => `${n.address}:22` === peer)?.name ?? peer
    ;(byNode[name] ??= []).push(Number(local.slice(local.lastIndexOf(':') + 1)))
  }
  for (const ports of Object.values(byNode)) ports.sort((a, b) => a - b)
  return byNode
}

/** The sshd processes on the node serving the connection from this machine's local `port`. */
async function sshdOf(name: string, port: number): Promise<number[]> {
  const out = await onNode(name, `ss -tnpH state established '( sport = :22 and dport = :${port} )'`)
  const pids = [...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]))
  if (pids.length === 0) throw new Error(`${name}: no sshd serves the connection from port ${port}`)
  return pids
}

/** Timing fields of plain output, the only bytes two runs of a converged playbook may differ in. */
const untimed = (text: string): string => text.replace(/elapsed \d+(\.\d+)?m?s/g, 'elapsed T').replace(/\(\d+(\.\d+)?m?s\)/g, '(T)')

describe.skipIf(skipReason)('the run server on the lab', () => {
  let dir = ''
  let inventory = ''
  let runtime = ''
  const book = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const run = (playbook: string, env: Record<string, string> = {}, onOutput?: (out: string, child: ChildProcess) => void, args: string[] = []): Promise<PghaResult> =>
    pgha(['run', playbook, '-i', inventory, '-o', 'plain', ...args], { runtime, cwd: dir, env, onOutput })
  /** A first run in a process of its own, and the server it leaves. */
  const startServer = async (playbook: string): Promise<number> => {
    const first = await run(playbook)
    expect(first.code, first.stdout + first.stderr).toBe(0)
    return serverOf(runtime)
  }

  let converge = ''
  let long = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgha-e2e-persist-'))
    // A copy of the lab inventory without the project's group_vars: these tests need none of them.
    inventory = join(dir, 'lab.yml')
    copyFileSync(lab.inventory, inventory)
    for (const n of NODES) await onNode(n, `install -d -m 0755 ${ROOT}`)
    converge = book('converge.yml', `
- hosts: lab
  gather_facts: false
  tasks:
    - name: a directory
      file: { path: "${ROOT}/conf", state: directory, mode: "0750" }
    - name: a file
      copy: { dest: "${ROOT}/conf/app.conf", content: "port = 5432\\nhost = {{ inventory_hostname }}\\n", mode: "0640" }
    - name: a line
      lineinfile: { path: "${ROOT}/conf/lines", line: "# managed", create: true, mode: "0644" }
    - name: files in a loop
      copy: { dest: "${ROOT}/conf/{{ item }}", content: "{{ item }}\\n" }
      loop: [one, two]
    - name: what is there
      stat: { path: "${ROOT}/conf/app.conf" }
      register: st
    - name: say it
      debug: { msg: "{{ inventory_hostname }} {{ st.stat.mode }} {{ st.stat.size }}" }
    - name: skipped on node2
      command: "true"
      when: inventory_hostname == 'node1'
      changed_when: false
`)
    long = book('long.yml', `
- hosts: lab
  gather_facts: false
  tasks:
    - name: before
      debug: { msg: started }
    - name: long
      command: ${SLEEP}
`)
  })

  beforeEach(() => {
    runtime = privateRuntime()
  })

  afterEach(async () => {
    dropRuntime(runtime)
    // A run killed with its server may leave its command on the nodes: end it, by its pid.
    for (const n of NODES) {
      const pids = await sleepsOn(n)
      if (pids.length > 0) await labExec(n, `kill -9 ${pids.join(' ')}`)
    }
  })

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    for (const n of NODES) await labExec(n, `rm -rf ${ROOT}`)
  })

  it('prints byte for byte what a run of its own prints, timings aside, with the same exit code and recap', async () => {
    // Converged first, so that every run below reports the same. One host at a time (-f 1): the order in
    // which hosts finish a task is timing too, and then it is the inventory's.
    for (let i = 0; i < 2; i++) expect((await run(converge, { PGHA_PERSIST: '0' })).code).toBe(0)
    const serial = ['-f', '1']
    const own = await run(converge, { PGHA_PERSIST: '0' }, undefined, serial)
    expect(own.code, own.stderr).toBe(0)
    expect(serverPids(runtime)).toEqual([])
    const server = await startServer(converge)
    // The first served run logs in; the second uses the logins the first gave back.
    for (const round of ['fresh logins', 'kept logins']) {
      const served = await run(converge, {}, undefined, serial)
      expect(served.code, `${round}: ${served.stderr}`).toBe(0)
      expect(untimed(served.stdout), round).toBe(untimed(own.stdout))
      expect(served.stderr, round).toBe(own.stderr)
      // Served: it is the server that holds the logins now, one per node (with PGHA_PERSIST=0 there is
      // no server, and this run's own process is gone with its connections).
      expect(Object.keys(sshConnections(server)).sort(), round).toEqual(NODES)
    }
    expect(own.stdout).toMatch(/node1 : ok=7 changed=0 unreachable=0 failed=0 skipped=0/)
    expect(own.stdout).toMatch(/node2 : ok=6 changed=0 unreachable=0 failed=0 skipped=1/)
    expect(own.stdout).toMatch(/=> node1 0640 \d+/)
  })

  it('keeps one login per node between served runs: the same TCP connection, run after run', async () => {
    const server = await startServer(converge)
    expect(sshConnections(server)).toEqual({}) // the first run was in a process of its own
    expect((await run(converge)).code).toBe(0)
    const kept = sshConnections(server)
    expect(Object.keys(kept).sort()).toEqual(NODES)
    for (const n of NODES) expect(kept[n], n).toHaveLength(1)
    for (let i = 0; i < 2; i++) {
      const served = await run(converge)
      expect(served.code, served.stderr).toBe(0)
      // The same local ports: the very connections of the run before, not new logins.
      expect(sshConnections(server)).toEqual(kept)
    }
    // And the nodes see the same: one sshd session for it each, from that port.
    for (const n of NODES) expect((await sshdOf(n, kept[n][0])).length).toBeGreaterThan(0)
  })

  it('repairs a file changed on a node between served runs (changed=1, then 0)', async () => {
    const server = await startServer(converge)
    expect((await run(converge)).code).toBe(0)
    const conf = `${ROOT}/conf/app.conf`
    const want = await onNode('node1', `cat ${conf}`)
    await onNode('node1', `sed -i 's/port = 5432/port = 6543/' ${conf}`)
    const repaired = await run(converge)
    expect(repaired.code, repaired.stderr).toBe(0)
    expect(repaired.stdout).toMatch(/changed: \[node1\]/)
    expect(repaired.stdout).toMatch(/node1 : ok=7 changed=1 unreachable=0 failed=0/)
    expect(repaired.stdout).toMatch(/node2 : ok=6 changed=0 unreachable=0 failed=0/)
    expect(await onNode('node1', `cat ${conf}`)).toBe(want)
    const again = await run(converge)
    expect(again.stdout).toMatch(/node1 : ok=7 changed=0 unreachable=0 failed=0/)
    expect(serverPids(runtime)).toEqual([server])
  })

  /**
   * Runs long.yml served by `server`; once its command runs on both nodes, checks that the server, not the
   * client, holds the logins (the run is served), then calls `act`. Resolves with the result and when it
   * acted; a failed check kills the client (no 60 s wait) and fails the test.
   */
  const actDuringLong = async (server: number, act: (client: ChildProcess) => void): Promise<{ r: PghaResult; actedAt: number }> => {
    let acting: Promise<number> | undefined
    const r = await run(long, {}, (out, client) => {
      if (acting || !out.includes('TASK [long]')) return
      acting = (async () => {
        try {
          await waitForNodes('the command to run on both nodes', (sleeps) => sleeps.every((p) => p.length === 1))
          expect(Object.keys(sshConnections(server)).sort()).toEqual(NODES)
          expect(sshConnections(client.pid!)).toEqual({})
        } catch (err) {
          client.kill('SIGKILL')
          throw err
        }
        act(client)
        return Date.now()
      })()
    })
    if (!acting) throw new Error(`the long task never started:\n${r.stdout}${r.stderr}`)
    return { r, actedAt: await acting }
  }

  it('stops a served run on Ctrl-C: exit 130 within seconds, the recap printed, no command left on the nodes', async () => {
    const server = await startServer(converge)
    const { r, actedAt } = await actDuringLong(server, (client) => client.kill('SIGINT'))
    const stopMs = Date.now() - actedAt
    expect(r.code, r.stdout + r.stderr).toBe(130)
    expect(stopMs).toBeLessThan(15_000)
    expect(r.stderr + r.stdout).toContain('interrupted: finishing running commands, then stopping')
    expect(r.stdout).toContain('PLAY RECAP')
    expect(r.stdout).toMatch(/node1 : ok=1 changed=0/)
    for (const n of NODES) expect(await sleepsOn(n), n).toEqual([])
    console.log(`served run stopped by SIGINT: exit ${r.code} ${stopMs} ms after the signal`)
    // The server handled the signal as the run's own process does, and serves the next run.
    expect(isRunning(server)).toBe(true)
    expect((await run(converge)).code).toBe(0)
  })

  it('stops a served run whose client was killed, as on a hangup: no command left on the nodes, the server serves on', async () => {
    const server = await startServer(converge)
    const { r, actedAt } = await actDuringLong(server, (client) => client.kill('SIGKILL'))
    expect(r.signal).toBe('SIGKILL')
    // The server ends the commands (a stop signal gives them 5 s of grace) and serves the next run.
    await waitForNodes('the commands of the orphaned run to end', (sleeps) => sleeps.every((p) => p.length === 0), 15_000)
    console.log(`served run of a killed client: its commands ended ${Date.now() - actedAt} ms after the kill`)
    expect(isRunning(server)).toBe(true)
    const next = await run(converge)
    expect(next.code, next.stderr).toBe(0)
    expect(Object.keys(sshConnections(server)).sort()).toEqual(NODES)
  })

  it('ends the client with exit 1 and says why when the server is killed mid-run', async () => {
    const server = await startServer(converge)
    const { r, actedAt: killedAt } = await actDuringLong(server, () => process.kill(server, 'SIGKILL'))
    const endMs = Date.now() - killedAt
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ERROR: the pgha run server ended before the run did; run the command again to converge what it left')
    expect(endMs).toBeLessThan(5_000)
    console.log(`client of a killed server: exit ${r.code} ${endMs} ms after the kill`)
  })

  it('PGHA_PERSIST=2: the server exits after 2 s idle, its socket removed; PGHA_PERSIST=0 starts none', async () => {
    const none = await run(converge, { PGHA_PERSIST: '0' })
    expect(none.code).toBe(0)
    await new Promise((res) => setTimeout(res, 1000))
    expect(serverPids(runtime)).toEqual([])
    expect(sockets(runtime)).toEqual([])

    const first = await run(converge, { PGHA_PERSIST: '2' })
    expect(first.code).toBe(0)
    const server = await serverOf(runtime)
    // A served run gives its logins to the server: they must not keep it alive past its idle time.
    const served = await run(converge, { PGHA_PERSIST: '2' })
    expect(served.code).toBe(0)
    expect(Object.keys(sshConnections(server)).sort()).toEqual(NODES)
    const idleFrom = Date.now()
    await waitFor('the idle server to exit', () => !isRunning(server), 8_000)
    const goneMs = Date.now() - idleFrom
    expect(goneMs).toBeGreaterThan(1_500)
    expect(goneMs).toBeLessThan(5_000)
    expect(sockets(runtime)).toEqual([])
    console.log(`PGHA_PERSIST=2: server gone ${goneMs} ms after the last run`)
    // The next run finds none and runs in its own process (its task shells are not the server's).
    const after = await run(converge, { PGHA_PERSIST: '2' })
    expect(after.code).toBe(0)
  })

  it('replaces a kept login the node ended (sshd restarted, its session killed) or that hangs, and the run succeeds', async () => {
    const server = await startServer(converge)
    expect((await run(converge)).code).toBe(0)
    const kept = sshConnections(server)
    // A restart of sshd leaves open sessions (systemd's KillMode=process for ssh.service), so node1's is
    // then killed outright; node2's is stopped (SIGSTOP): its TCP connection stays open, nothing answers.
    await onNode('node1', 'systemctl restart ssh')
    const killed = await sshdOf('node1', kept.node1[0])
    await onNode('node1', `kill -9 ${killed.join(' ')}`)
    const stopped = await sshdOf('node2', kept.node2[0])
    await onNode('node2', `kill -STOP ${stopped.join(' ')}`)
    let now: Record<string, number[]>
    try {
      const r = await run(converge)
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toMatch(/node1 : ok=7 changed=0 unreachable=0 failed=0/)
      expect(r.stdout).toMatch(/node2 : ok=6 changed=0 unreachable=0 failed=0/)
      // New logins to both, each one connection; the stopped one cost one ping (the connect timeout).
      now = sshConnections(server)
      expect(now.node1).toHaveLength(1)
      expect(now.node1[0]).not.toBe(kept.node1[0])
      expect(now.node2).toEqual([expect.any(Number)])
      expect(now.node2[0]).not.toBe(kept.node2[0])
      console.log(`served run after its kept logins died or hung: ${r.ms} ms`)
    } finally {
      await labExec('node2', `kill -9 ${stopped.join(' ')}`)
    }
    // The new logins are kept in turn.
    const next = await run(converge)
    expect(next.code).toBe(0)
    expect(sshConnections(server)).toEqual(now)
  })
})
