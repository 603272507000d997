// apt_key: ids as Ansible reads them, url/keyserver refused before any host is contacted, and against
// ansible-playbook with a keyring in a temp dir (apt-key --keyring), so apt's own keys are never touched:
// the same changed status for adding from a file, from inline data, by id, and removing.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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
  it('refuses url and keyserver: pgha does not fetch on the hosts\' behalf', () => {
    expect(() => aptKey.params.parse({ url: 'https://x/key.asc' })).toThrow(/does not fetch keys/)
    expect(() => aptKey.params.parse({ id: 'ACCC4CF8', keyserver: 'keyserver.ubuntu.com' })).toThrow(/does not fetch keys/)
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

describe.skipIf(!haveAnsible || !haveGpg)('apt_key as ansible-playbook runs it, on a keyring in a temp dir', () => {
  it('changes the same tasks', async () => {
    const { armored, fingerprint } = testKey()
    const task = (name: string, args: string): string => `    - name: ${name}\n      apt_key: { keyring: DIR/test.gpg, ${args} }\n`
    const tasks = [
      task('from file', 'file: DIR/key.asc'),
      task('again', 'file: DIR/key.asc'),
      task('by id', `id: "${fingerprint}"`),
      task('remove', `id: "${fingerprint.slice(-8)}", state: absent`),
      task('remove again', `id: "${fingerprint}", state: absent`),
      task('from data', `data: ${JSON.stringify(armored)}`),
      task('data again', `data: ${JSON.stringify(armored)}`),
    ].join('')
    const { ansible, pgha } = await bothSides(tasks, { seed: { 'key.asc': armored } })
    expect(pgha.tasks.map((t) => [t.name, t.changed, t.failed, t.msg])).toEqual(ansible.tasks.map((t) => [t.name, t.changed, t.failed, t.msg]))
    expect(ansible.tasks.map((t) => t.changed)).toEqual([true, false, false, true, false, true, false])
    expect(Object.keys(pgha.files).sort()).toEqual(Object.keys(ansible.files).sort())
  }, 240_000)
})
