// A sudoers file that fails `visudo -cf` is never installed. pgha run renders a broken
// template (and the shipped sudoers template fed a bad variable) with `validate: 'visudo -cf %s'` into a
// temp directory standing in for /etc/sudoers.d, locally and over SSH: the task fails with visudo's
// message, the old file stays byte-identical with its mode, and no temp file is left. A good template
// then installs (control: validation is not simply failing everything).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { haveSshd, startSshd, type TestSshd } from '../transport/sshd.js'
import { pgha } from './cli.js'

const fixtures = resolve(__dirname, '../fixtures/secrets')
const shipped = resolve(__dirname, '../../templates/sudoers-postgres.hbs')
const haveVisudo = (() => {
  try {
    execFileSync('visudo', ['-V'], { stdio: 'ignore' })
    return process.getuid?.() === 0
  } catch {
    return false
  }
})()
const OLD = '# installed earlier\npostgres ALL = (root) NOPASSWD: /bin/systemctl restart postgresql\n'

let sshd: TestSshd | undefined
const dirs: string[] = []
beforeAll(async () => {
  if (haveSshd) sshd = await startSshd()
}, 120_000)
afterAll(() => {
  sshd?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function hostVars(over: 'local' | 'ssh'): string {
  if (over === 'local') return 'ansible_connection=local'
  const s = sshd!
  return `ansible_host=127.0.0.1 ansible_port=${s.port} ansible_user=root ansible_ssh_private_key_file=${s.keyFile} pgha_known_hosts_file=${s.knownHosts}`
}

async function install(over: 'local' | 'ssh', src: string, vars: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-sudoers-'))
  dirs.push(dir)
  const sudoersD = join(dir, 'sudoers.d')
  execFileSync('mkdir', ['-m', '0750', sudoersD])
  const dest = join(sudoersD, 'postgres')
  writeFileSync(dest, OLD, { mode: 0o440 })
  writeFileSync(join(dir, 'inventory.ini'), `node1 ${hostVars(over)}\n`)
  writeFileSync(join(dir, 'site.yml'), `
- hosts: all
  gather_facts: false
  vars: ${JSON.stringify(vars)}
  tasks:
    - name: sudoers for postgres
      template: { src: "${src}", dest: "${dest}", mode: "0440", validate: "visudo -cf %s" }
`)
  const r = await pgha(['run', join(dir, 'site.yml'), '-i', join(dir, 'inventory.ini')], dir)
  return { r, dest, sudoersD }
}

const VARS = { sudo_user: 'postgres', systemctl_path: '/bin/systemctl', postgres_user: 'postgres', pg_service: 'postgresql', repmgrd_enabled: 'false' }

describe.skipIf(!haveVisudo)('a sudoers file that fails visudo -cf is never installed', () => {
  for (const over of ['local', 'ssh'] as const) {
    describe.skipIf(over === 'ssh' && !haveSshd)(`over ${over}`, () => {
      it.each([
        ['a broken template', join(fixtures, 'sudoers-broken.hbs'), VARS, /fatal: \[node1\]: FAILED! => validation of .*sudoers\.d\/postgres failed on node1 \(visudo -cf %s\), file left unchanged: .*syntax error/],
        // The shipped template writes every variable as a sudoers word: this one is refused before visudo.
        ['the shipped template with a bad variable', shipped, { ...VARS, postgres_user: 'postgres ALL' }, /fatal: \[node1\]: FAILED! => .*"postgres ALL" cannot be written into a sudoers rule/],
      ])('%s: the task fails saying why, the old file is untouched, no temp file is left', async (_label, src, vars, message) => {
        const { r, dest, sudoersD } = await install(over, src, vars)
        expect(r.code, r.stdout + r.stderr).toBe(2)
        expect(r.stdout).toMatch(message)
        expect(readFileSync(dest, 'utf8')).toBe(OLD)
        expect(statSync(dest).mode & 0o777).toBe(0o440)
        expect(readdirSync(sudoersD)).toEqual(['postgres'])
      }, 30_000)

      it('a valid sudoers from the shipped template is installed, 0440, and passes visudo', async () => {
        const { r, dest, sudoersD } = await install(over, shipped, VARS)
        expect(r.code, r.stdout + r.stderr).toBe(0)
        expect(readFileSync(dest, 'utf8')).toContain('postgres ALL = (root) NOPASSWD: /bin/systemctl start postgresql')
        expect(statSync(dest).mode & 0o777).toBe(0o440)
        execFileSync('visudo', ['-cf', dest], { stdio: 'ignore' })
        expect(readdirSync(sudoersD)).toEqual(['postgres'])
      }, 30_000)
    })
  }
})
