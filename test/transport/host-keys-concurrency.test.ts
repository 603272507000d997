// Host keys recorded and checked through the pgha binary: 20 hosts on 20 loopback endpoints ([127.0.0.1]:port names, two
// sshds of 10 ports: sshd listens on at most 16 sockets)
// connecting at once with --accept-new-host-keys record 20 entries, none lost or duplicated; without the
// flag an unknown key is refused with its SHA256 fingerprint and the flag's name; a changed key is
// refused even with the flag, both fingerprints shown, and its line left as it was. The transport-level
// cases (10 ports x 2 connections, jump hosts, @revoked) are in ssh-connect.test.ts and host-keys.test.ts.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgha } from '../secrets/cli.js'
import { haveSshd, startSshd, type TestSshd } from './sshd.js'

const HOSTS = 20
const fingerprintOf = (pubLine: string): string => execFileSync('ssh-keygen', ['-lf', '-'], { input: pubLine, encoding: 'utf8' }).split(' ')[1]

describe.skipIf(!haveSshd)('pgha run and host keys, 20 hosts at once', () => {
  let sshds: TestSshd[] = []
  /** Each host's sshd and port, node01 first. */
  let endpoints: { sshd: TestSshd; port: number }[]
  let dir: string
  beforeAll(async () => {
    sshds = [await startSshd(HOSTS / 2), await startSshd(HOSTS / 2)]
    endpoints = sshds.flatMap((sshd) => sshd.ports.map((port) => ({ sshd, port })))
    dir = mkdtempSync(join(tmpdir(), 'pgha-hostkeys-'))
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n')
  }, 120_000)
  afterAll(() => {
    for (const s of sshds) s.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** An inventory of node01..node20, one per sshd port, all checked against `knownHosts`. */
  function inventory(knownHosts: string): string {
    const lines = endpoints.map(({ sshd, port }, i) =>
      `node${String(i + 1).padStart(2, '0')} ansible_host=127.0.0.1 ansible_port=${port} ansible_user=root ansible_ssh_private_key_file=${sshd.keyFile} pgha_known_hosts_file=${knownHosts}`)
    return writeAndReturn(`inventory-${Math.random().toString(36).slice(2)}.ini`, lines.join('\n') + '\n')
  }
  const writeAndReturn = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }
  const run = (inv: string, ...flags: string[]) => pgha(['run', join(dir, 'site.yml'), '-i', inv, '-f', String(HOSTS), ...flags], dir)

  it('refuses every unknown key with its fingerprint and the flag, and records nothing', async () => {
    const known = join(dir, 'known_hosts_strict')
    const r = await run(inventory(known))
    expect(r.code).toBe(4)
    const refusals = r.stdout.split('\n').filter((l) => l.includes('UNREACHABLE!'))
    expect(refusals).toHaveLength(HOSTS)
    for (const [i, { sshd }] of endpoints.entries()) {
      const l = refusals.find((x) => x.startsWith(`fatal: [node${String(i + 1).padStart(2, '0')}]`)) ?? ''
      expect(l).toContain(`is unknown (ssh-ed25519 ${fingerprintOf(sshd.hostKey)}`)
      expect(l).toContain('rerun with --accept-new-host-keys to trust it')
    }
    expect(() => readFileSync(known)).toThrow()
  }, 60_000)

  it('with --accept-new-host-keys records all 20 keys once each, then trusts them without the flag', async () => {
    const known = join(dir, 'known_hosts_new')
    const inv = inventory(known)
    const r = await run(inv, '--accept-new-host-keys')
    expect(r.code, r.stdout).toBe(0)
    const lines = readFileSync(known, 'utf8').trim().split('\n')
    expect(lines.sort()).toEqual(endpoints.map(({ sshd, port }) => `[127.0.0.1]:${port} ${sshd.hostKey}`).sort())
    const again = await run(inv)
    expect(again.code, again.stdout).toBe(0)
    expect(readFileSync(known, 'utf8').trim().split('\n')).toHaveLength(HOSTS)
  }, 60_000)

  it('refuses a changed key even with --accept-new-host-keys, showing both fingerprints; the others connect', async () => {
    const other = join(dir, 'other_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const otherLine = readFileSync(`${other}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')
    const known = join(dir, 'known_hosts_changed')
    const stale = `[127.0.0.1]:${endpoints[6].port} ${otherLine}\n`
    writeFileSync(known, stale)
    const r = await run(inventory(known), '--accept-new-host-keys')
    expect(r.code).toBe(4)
    const refused = r.stdout.split('\n').filter((l) => l.includes('UNREACHABLE!'))
    expect(refused).toHaveLength(1)
    expect(refused[0]).toContain(`fatal: [node07]: UNREACHABLE! => host key for node07 ([127.0.0.1]:${endpoints[6].port}) changed: known ${fingerprintOf(otherLine)}`)
    expect(refused[0]).toContain(`offered ${fingerprintOf(endpoints[6].sshd.hostKey)}`)
    const lines = readFileSync(known, 'utf8').split('\n')
    expect(lines[0]).toBe(stale.trim())
    expect(lines.filter((l) => l.includes(`:${endpoints[6].port} `))).toEqual([stale.trim()])
    expect(lines.filter((l) => l !== '')).toHaveLength(HOSTS) // the 19 others recorded
  }, 60_000)
})
