// The secrets suite over SSH: the same fixture against a private sshd on 127.0.0.1 (the transport tests'
// helper), so commands, file writes, validation errors and become go through the SSH transport's shells
// and SFTP. The marked run shows no secret in plain or JSON output; the control shows them all.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MASK } from '../../src/secrets/index.js'
import { haveSshd, startSshd, type TestSshd } from '../transport/sshd.js'
import { channelChecks, type JsonDoc } from './channels.js'
import { pgha } from './cli.js'
import { newSecrets, secretList, secretsProject, type SecretsProject } from './project.js'

const secrets = newSecrets()
const projects: SecretsProject[] = []

describe.skipIf(!haveSshd)('secrets over SSH', () => {
  let sshd: TestSshd
  beforeAll(async () => {
    sshd = await startSshd()
  }, 120_000)
  afterAll(() => {
    sshd?.stop()
    for (const p of projects) rmSync(p.dir, { recursive: true, force: true })
  })

  const project = (marked: boolean): SecretsProject => {
    const p = secretsProject(secrets, marked, {
      ansible_host: '127.0.0.1', ansible_port: sshd.port, ansible_user: 'root',
      ansible_ssh_private_key_file: sshd.keyFile, pgha_known_hosts_file: sshd.knownHosts,
    })
    projects.push(p)
    return p
  }

  it.each([['plain'], ['json']])('--output %s -vvv --diff: no secret in any channel', async (mode) => {
    const p = project(true)
    const r = await pgha(['run', p.playbook, '-i', p.inventory, '-o', mode, '-vvv', '--diff'], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(2)
    for (const [name, value] of secretList(secrets)) {
      expect(r.stdout.includes(value), `${name} in stdout`).toBe(false)
      expect(r.stderr.includes(value), `${name} in stderr`).toBe(false)
    }
    expect(r.stdout).toContain(MASK)
    if (mode === 'json') for (const c of channelChecks(secrets, true)) expect(c.actual(JSON.parse(r.stdout) as JsonDoc), c.channel).toEqual(c.expected)
  }, 60_000)

  it('the control over SSH shows every value in every channel', async () => {
    const p = project(false)
    const r = await pgha(['run', p.playbook, '-i', p.inventory, '-o', 'json', '-vvv', '--diff'], p.dir)
    expect(r.code, r.stderr).toBe(2)
    for (const c of channelChecks(secrets, false)) expect(c.actual(JSON.parse(r.stdout) as JsonDoc), c.channel).toEqual(c.expected)
  }, 60_000)
})
