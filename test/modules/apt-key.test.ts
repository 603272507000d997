// apt_key: ids as Ansible reads them, keyserver refused before any host is contacted, and against
// ansible-playbook with a keyring in a temp dir (apt-key --keyring), so apt's own keys are never touched:
// the same changed status for adding from a file, from inline data, from a URL (served on loopback by
// python's http.server), by id, and removing.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import aptKey, { parseKeyId } from '../../src/modules/apt_key.js'
import { keysIn } from '../../src/facts/apt-keys.js'
import { bothSides, haveAnsible } from './ansible-differential.js'

describe('apt_key parameters', () => {
  it('reads ids as Ansible does', () => {
    expect(parseKeyId('0xaccc4cf8')).toEqual({ short: 'ACCC4CF8', fingerprint: 'ACCC4CF8', id: 'ACCC4CF8' })
    expect(parseKeyId('B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8')).toMatchObject({ short: 'ACCC4CF8', fingerprint: '7FCC7D46ACCC4CF8' })
    expect(() => parseKeyId('ACCC4C')).toThrow(/8, 16, or 16\+/)
    expect(keysIn('pub   rsa4096/7FCC7D46ACCC4CF8 2011-10-13 [SC]\nsub   rsa4096/1111111111111111 2011-10-13 [E] [expired: 2020-01-01]\npub:-:255:22:B43C8F0DFAFB2BDC:1:::-:')).toEqual(['7FCC7D46ACCC4CF8', 'B43C8F0DFAFB2BDC'])
  })
  it('refuses keyserver, a URL with white space, and url with file or data', () => {
    expect(aptKey.params.parse({ url: 'https://x/key.asc' })).toMatchObject({ url: 'https://x/key.asc', validate_certs: true })
    expect(() => aptKey.params.parse({ id: 'ACCC4CF8', keyserver: 'keyserver.ubuntu.com' })).toThrow(/does not receive keys from a keyserver/)
    expect(() => aptKey.params.parse({ url: 'https://x/key.asc\nurl = "https://elsewhere/"' })).toThrow(/without white space/)
    expect(() => aptKey.params.parse({ url: 'https://x/key.asc', file: '/k.asc' })).toThrow(/mutually exclusive: data\|file\|url/)
    expect(() => aptKey.params.parse({ state: 'absent' })).toThrow(/key is required/)
  })
})

const haveGpg = spawnSync('gpg', ['--version']).status === 0 && spawnSync('apt-key', ['--help']).status !== null

/** A fresh signing key made in a throwaway GnuPG home: its armored text and fingerprint. */
function testKey(): { armored: string; fingerprint: string } {
  const home = mkdtempSync(join(tmpdir(), 'pgha-gpg-'))
  onTestFinished(() => rmSync(home, { recursive: true, force: true }))
  const env = { ...process.env, GNUPGHOME: home }
  execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'pgha test <t@example.org>', 'ed25519', 'sign', 'never'], { env, stdio: 'ignore' })
  const armored = execFileSync('gpg', ['--armor', '--export', 't@example.org'], { env, encoding: 'utf8' })
  const colons = execFileSync('gpg', ['--with-colons', '--fingerprint', 't@example.org'], { env, encoding: 'utf8' })
  return { armored, fingerprint: /^fpr:+([0-9A-F]+):/m.exec(colons)![1] }
}

/** An HTTP server on loopback serving `files` (ansible-playbook runs synchronously, so not in this process). */
async function serve(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-keys-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const server = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'ignore'] })
  onTestFinished(() => {
    server.kill()
    rmSync(dir, { recursive: true, force: true })
  })
  const port = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString())
      if (m) resolve(m[1])
    })
    server.on('exit', () => reject(new Error('http.server exited')))
  })
  return `http://127.0.0.1:${port}`
}

describe.skipIf(!haveAnsible || !haveGpg)('apt_key as ansible-playbook runs it, on a keyring in a temp dir', () => {
  it('changes the same tasks', async () => {
    const { armored, fingerprint } = testKey()
    const site = await serve({ 'key.asc': armored })
    const task = (name: string, args: string): string => `    - name: ${name}\n      apt_key: { keyring: DIR/test.gpg, ${args} }\n`
    const tasks = [
      task('from file', 'file: DIR/key.asc'),
      task('again', 'file: DIR/key.asc'),
      task('by id', `id: "${fingerprint}"`),
      task('remove', `id: "${fingerprint.slice(-8)}", state: absent`),
      task('remove again', `id: "${fingerprint}", state: absent`),
      task('from data', `data: ${JSON.stringify(armored)}`),
      task('data again', `data: ${JSON.stringify(armored)}`),
      task('remove for url', `id: "${fingerprint}", state: absent`),
      task('from url', `url: "${site}/key.asc"`),
      task('url again', `url: "${site}/key.asc"`),
      task('url with its id, present', `id: "${fingerprint}", url: "${site}/nothing.asc"`),
      task('a url that is not there', `url: "${site}/nothing.asc"`),
    ].join('')
    const { ansible, pgha } = await bothSides(tasks, { seed: { 'key.asc': armored } })
    const outcome = (side: typeof pgha) => side.tasks.map((t) => [t.name, t.changed, t.failed, t.failed ? '' : t.msg])
    expect(outcome(pgha)).toEqual(outcome(ansible))
    expect(ansible.tasks.map((t) => t.changed)).toEqual([true, false, false, true, false, true, false, true, true, false, false, false])
    expect(ansible.tasks.map((t) => t.failed).lastIndexOf(true)).toBe(11)
    expect(Object.keys(pgha.files).sort()).toEqual(Object.keys(ansible.files).sort())
  }, 240_000)
})
