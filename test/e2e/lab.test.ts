// The lab gives what the playbooks expect of fresh servers: reachable over SSH under strict host key
// checking, systemd running, a sudo user with a password and requiretty, no PostgreSQL yet, and an
// offline apt cache that installs PostgreSQL 15 with no route to any registry.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, labCut, labExec, labHeal, labReset, labSsh, loginUser, node, skipReason } from './lab-env.js'

const names = () => lab.nodes.map((n) => n.name)
/** A connection attempt from one node to another's sshd, by name: the banner, or the error. */
const reach = (from: string, to: string) =>
  labExec(from, `timeout 3 bash -c 'exec 3<>/dev/tcp/${to}/22; head -1 <&3' 2>&1`)

describe.skipIf(skipReason)('lab', () => {
  beforeAll(async () => {
    // Other e2e files install things on the nodes; this one checks the pristine state.
    await labReset(names())
  })

  it('every node answers SSH as root with the lab key under strict host key checking, with its own hostname', async () => {
    for (const n of lab.nodes) {
      const r = await labSsh(n.name, 'hostname')
      expect(r, r.stderr).toMatchObject({ rc: 0, stdout: n.name })
    }
  })

  it('every node has its own host keys and machine id, and a wrong key is refused', async () => {
    const lines = readFileSync(lab.knownHosts, 'utf8').trim().split('\n')
    const keyOf = (name: string) => lines.filter((l) => l.startsWith(`${name},`)).map((l) => l.split(' ').slice(1).join(' '))
    const [a, b] = names() as [string, string]
    expect(keyOf(a).length).toBeGreaterThan(0)
    expect(keyOf(a).filter((k) => keyOf(b).includes(k))).toEqual([])
    const ids = await Promise.all(names().map(async (n) => (await labExec(n, 'cat /etc/machine-id')).stdout))
    expect(new Set(ids).size).toBe(ids.length)
    // b's keys filed under a's name and address: ssh must refuse a.
    const wrong = join(mkdtempSync(join(tmpdir(), 'pgha-lab-')), 'known_hosts')
    writeFileSync(wrong, keyOf(b).map((k) => `${a},${node(a).address} ${k}`).join('\n') + '\n')
    const r = await labSsh(a, 'true', { knownHosts: wrong })
    expect(r.rc).toBe(255)
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/)
  })

  it('nodes reach each other by name, and nothing outside the lab', async () => {
    const [a, b] = names() as [string, string]
    expect((await reach(a, b)).stdout).toMatch(/^SSH-2\.0-OpenSSH/)
    expect((await reach(b, a)).stdout).toMatch(/^SSH-2\.0-OpenSSH/)
    const out = await labExec(a, 'ip route get 151.101.2.132 2>&1')
    expect(out.stdout).toMatch(/Network is unreachable/)
  })

  it('systemd is the init and the system is up', async () => {
    for (const n of names()) {
      const r = await labSsh(n, 'cat /proc/1/comm; systemctl is-system-running')
      expect(r.stdout).toMatch(/^systemd\n(running|degraded)$/)
    }
  })

  it('the login user needs a tty and a password for sudo, as on CentOS 7', async () => {
    const n = names()[0]!
    const user = loginUser.name
    const noTty = await labSsh(n, 'sudo -n true', { user })
    expect(noTty.rc).not.toBe(0)
    expect(noTty.stderr).toMatch(/you must have a tty to run sudo/)
    const noPassword = await labSsh(n, 'sudo -n true', { user, tty: true })
    expect(noPassword.rc).not.toBe(0)
    expect(noPassword.stdout + noPassword.stderr).toMatch(/a password is required/)
    const withPassword = await labSsh(n, `echo ${loginUser.password} | sudo -S -p '' id -un`, { user, tty: true })
    expect(withPassword.rc).toBe(0)
    expect(withPassword.stdout.trim().split(/\r?\n/).pop()).toBe('root')
  })

  it('PostgreSQL is not installed yet', async () => {
    for (const n of names()) {
      const r = await labSsh(n, 'dpkg-query -W -f "\\${Status}" postgresql-15; command -v psql pg_ctlcluster; ls /var/lib/postgresql')
      expect(r.stdout).toBe('')
      expect(r.rc).not.toBe(0)
    }
  })

  it('apt-get installs PostgreSQL 15 offline from the image cache; a reset gives the node back pristine', async () => {
    const n = names().at(-1)!
    const install = await labExec(n, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 2>&1', { timeoutMs: 600_000 })
    expect(install.rc, install.stdout.slice(-2000)).toBe(0)
    expect(install.stdout).not.toMatch(/^(Get|Err):/m)
    const cluster = await labSsh(n, 'pg_lsclusters -h')
    expect(cluster.stdout).toMatch(/^15\s+main\s+5432\s+online\s+postgres/)
    await labReset([n])
    const after = await labSsh(n, 'command -v psql || echo none')
    expect(after).toMatchObject({ rc: 0, stdout: 'none' })
  })

  it('cut isolates a node, a partition separates two, and heal restores both', async () => {
    const [a, b] = names() as [string, string]
    try {
      await labCut([b])
      expect((await reach(a, b)).stdout).not.toMatch(/^SSH-/)
      expect((await labSsh(b, 'true', { timeoutMs: 20_000 })).rc).not.toBe(0)
      await labHeal()
      await labCut([a], [b])
      expect((await reach(a, b)).stdout).not.toMatch(/^SSH-/)
      expect((await reach(b, a)).stdout).not.toMatch(/^SSH-/)
      expect((await labSsh(a, 'true')).rc).toBe(0)
    } finally {
      await labHeal()
    }
    expect((await reach(a, b)).stdout).toMatch(/^SSH-2\.0-OpenSSH/)
  })
})
