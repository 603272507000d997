// The ssh transport against the lab's real hosts: become through sudo on a pty where sudoers says
// `requiretty`, with and without a password, refusals, and file writes as other users.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { SshTransport } from '../../src/transport/index.js'
import type { ConnectionSpec } from '../../src/transport/types.js'
import { lab, labExec, skipReason } from './lab-env.js'
import { RECIPE } from '../../src/lab/index.js'

interface LabHost {
  ansible_host: string
  ansible_ssh_private_key_file: string
}

function labSpec(name: string, user: string): ConnectionSpec {
  const inv = parse(readFileSync(lab.inventory, 'utf8'))
  const h = inv.all.children.lab.hosts[name] as LabHost
  return {
    host: name,
    connection: 'ssh',
    address: h.ansible_host,
    port: 22,
    user,
    privateKeyFile: h.ansible_ssh_private_key_file,
    knownHostsFile: inv.all.vars.pgha_known_hosts_file,
    connectTimeoutMs: 10_000,
  }
}

describe.skipIf(skipReason)('ssh transport on the lab', () => {
  const open: SshTransport[] = []
  const as = (name: string, user: string): SshTransport => {
    const t = new SshTransport(labSpec(name, user))
    open.push(t)
    return t
  }
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()))
  })

  it('becomes root from deploy with the password, on a pty, although sudoers says requiretty', async () => {
    const deploy = as('node1', 'deploy')
    // Without a tty, sudo refuses: proof that requiretty is in effect.
    expect((await deploy.exec('sudo -n true')).stderr).toContain('you must have a tty')
    const r = await deploy.exec('id -un; echo to-stderr >&2; exit 3', { become: true, password: RECIPE.user.password })
    expect(r).toEqual({ rc: 3, stdout: 'root\n', stderr: 'to-stderr\n' })
    const t0 = performance.now()
    for (let i = 0; i < 100; i++) expect((await deploy.exec(`echo ${i}`, { become: true })).stdout).toBe(`${i}\n`)
    console.log(`become shell on the lab: ${((performance.now() - t0) / 100).toFixed(2)} ms per command`)
  })

  // The test's own timeout is the hang guard: sudo's delay after a wrong password is 2 s, so a transport
  // that waited for a prompt that never comes would hang past it.
  it('refuses a wrong password without the password in the message, and remembers the refusal', async () => {
    const deploy = as('node2', 'deploy')
    const err = await deploy.exec('true', { become: true, password: 'not-the-password' }).catch((e: Error) => e)
    expect((err as Error).message).toMatch(/^sudo to root refused on node2: .*Sorry, try again/)
    expect((err as Error).message).not.toContain('not-the-password')
    // Refused again even with the right password: the connection does not try sudo a second time (a retry
    // with each task would lock the account where pam_faillock counts failures).
    await expect(deploy.exec('true', { become: true, password: RECIPE.user.password })).rejects.toThrow('refused')
  }, 60_000)

  it('fails at once when no password is configured and sudo needs one', async () => {
    const err = await as('node1', 'deploy').exec('true', { become: true, user: 'nobody' }).catch((e: Error) => e)
    expect((err as Error).message).toBe('sudo to nobody refused on node1: sudo: a password is required')
  })

  it('becomes an unprivileged user from root', async () => {
    const root = as('node2', 'root')
    expect(await root.exec('id -un; pwd', { become: true, user: 'nobody', cwd: '/tmp' })).toEqual({ rc: 0, stdout: 'nobody\n/tmp\n', stderr: '' })
  })

  it('writes files as another user atomically, with owner, mode, validate and backup', async () => {
    const deploy = as('node1', 'deploy')
    const root = { become: true, password: RECIPE.user.password }
    const path = `/etc/pgha-e2e-${process.pid}.conf`
    try {
      await deploy.writeFile(path, 'first\n', { ...root, mode: '0640', group: 'deploy' })
      const { backupPath } = await deploy.writeFile(path, 'second\n', { ...root, backup: true, validate: 'grep -q second %s' })
      await expect(deploy.writeFile(path, 'third\n', { ...root, validate: 'grep -q second %s' })).rejects.toThrow('file left unchanged')
      expect((await deploy.readFile(path, root))?.toString()).toBe('second\n')
      expect((await deploy.readFile(backupPath!, root))?.toString()).toBe('first\n')
      expect((await deploy.exec(`stat -c '%U:%G %a' ${path}; ls -a /etc | grep -c '^\\.pgha-' || true`, root)).stdout).toBe('root:deploy 640\n0\n')
      // deploy (group sudo) may become any user: the file is staged and renamed by nobody itself.
      await deploy.writeFile(`/tmp/pgha-e2e-${process.pid}`, 'n\n', { become: true, user: 'nobody', password: RECIPE.user.password })
      expect((await deploy.exec(`stat -c %U /tmp/pgha-e2e-${process.pid}`)).stdout).toBe('nobody\n')
    } finally {
      await deploy.exec(`rm -f ${path} ${path}.*~ /tmp/pgha-e2e-${process.pid}`, root)
    }
  })

  it('reports a host that closes the connection before the session starts (pam_nologin while booting), never hangs', async () => {
    await labExec('node2', 'echo "System is booting up." > /run/nologin')
    try {
      const err = await as('node2', 'deploy').connect().catch((e: Error) => e)
      expect((err as Error).message).toMatch(/closed the connection before the session started: "?System is booting up/)
    } finally {
      await labExec('node2', 'rm -f /run/nologin')
    }
  }, 60_000) // the hang guard: without the nologin check the connect would wait for a shell that never starts
})
