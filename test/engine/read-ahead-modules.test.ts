// Read-ahead of the facts of slurp, get_url (dest and its checksum), unarchive with `creates` and apt_key
// through the engine on a local host: a converged run of each reads them in one batch, where each task used
// to cost a round trip of its own, and a host changed since the last run is still repaired (or, for slurp,
// read as it is now, after a task of the same run changed it).
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { localHosts, play, project, type Project } from './harness.js'

const runIn = (p: Project) => p.run({ extraVars: [`root=${join(p.dir, 'tree')}`, `src=${p.dir}`] })

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('read-ahead of slurp, get_url and unarchive', () => {
  const DOWNLOADS = [1, 2, 3, 4].map((i) => `
    - name: download ${i}
      get_url: { url: "file://{{ src }}/pub/file${i}.txt", dest: "{{ root }}/file${i}.txt", checksum: "sha256:${sha256(`file ${i}\n`)}" }`).join('')
  const TASKS = `
    - name: tree
      file: { path: "{{ root }}/unpacked", state: directory }
    - debug: { msg: the tree is there }${DOWNLOADS}
    - name: unpack
      unarchive: { src: "{{ src }}/pub/archive.tar", dest: "{{ root }}/unpacked", remote_src: true, creates: "{{ root }}/unpacked/inside.txt" }
    - name: read 1
      slurp: { src: "{{ root }}/file1.txt" }
      register: one
    - name: read 2
      slurp: { src: "{{ root }}/unpacked/inside.txt" }
      register: two
    - name: what was read
      assert: { that: ["one.content | b64decode == 'file 1\\n'", "two.content | b64decode == 'inside\\n'"] }`

  function downloads(): Project {
    const p = project(localHosts(['hostA']), { 'site.yml': play(TASKS), 'pub/inside.txt': 'inside\n' })
    for (const i of [1, 2, 3, 4]) p.write(`pub/file${i}.txt`, `file ${i}\n`)
    execFileSync('tar', ['-cf', join(p.dir, 'pub/archive.tar'), '-C', join(p.dir, 'pub'), 'inside.txt'])
    return p
  }

  it('reads the facts of a converged run of them in one batch', async () => {
    const p = downloads()
    expect((await runIn(p)).recap.hostA).toMatchObject({ changed: 6, failed: 0 })
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 10, changed: 0, failed: 0 })
    // The tree, every dest, `creates` and file read (the slurps' contents, the downloads' checksums) in
    // one round trip: a debug task reads and changes nothing on the host, the window goes on past it.
    expect(again.roundTrips).toBe(1)
  })

  it('repairs a changed download and a removed unpacked file, and reads a file as a task of the run left it', async () => {
    const p = downloads()
    await runIn(p)
    writeFileSync(join(p.dir, 'tree/file1.txt'), 'tampered\n')
    rmSync(join(p.dir, 'tree/unpacked/inside.txt'))
    const drift = await runIn(p)
    expect(drift.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    expect(drift.results('download 1').hostA.status).toBe('changed')
    expect(drift.results('unpack').hostA.status).toBe('changed')
    // The assert saw the repaired contents: the slurps did not use what was read before the repairs.
    expect(drift.results('what was read').hostA.status).toBe('ok')
    expect(readFileSync(join(p.dir, 'tree/file1.txt'), 'utf8')).toBe('file 1\n')
  })
})

const haveGpg = spawnSync('gpg', ['--version']).status === 0 && spawnSync('apt-key', ['--help']).status !== null

describe.skipIf(!haveGpg)('read-ahead of apt_key, on keyrings in a temp dir', () => {
  /** A key made in a throwaway GnuPG home, armored. */
  function armoredKey(): string {
    const home = mkdtempSync(join(tmpdir(), 'pgha-gpg-'))
    onTestFinished(() => rmSync(home, { recursive: true, force: true }))
    const env = { ...process.env, GNUPGHOME: home }
    execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'pgha test <t@example.org>', 'ed25519', 'sign', 'never'], { env, stdio: 'ignore' })
    return execFileSync('gpg', ['--armor', '--export', 't@example.org'], { env, encoding: 'utf8' })
  }

  it('reads the key id and the keyrings of a converged run in one round trip, and adds a key removed since', async () => {
    const keys = [1, 2, 3].map((i) => `
    - name: keyring ${i}
      apt_key: { keyring: "{{ src }}/ring${i}.gpg", file: "{{ src }}/key.asc" }`).join('')
    const p = project(localHosts(['hostA']), { 'site.yml': play(keys), 'key.asc': armoredKey() })
    expect((await runIn(p)).recap.hostA).toMatchObject({ changed: 3, failed: 0 })
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 3, changed: 0, failed: 0 })
    expect(again.roundTrips).toBe(1)
    rmSync(join(p.dir, 'ring2.gpg'))
    const drift = await runIn(p)
    expect(drift.recap.hostA).toMatchObject({ changed: 1, failed: 0 })
    expect(drift.results('keyring 2').hostA.status).toBe('changed')
  })
})
