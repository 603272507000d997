// Writes on the controller never escape where they belong. `pgha render --out DIR` follows no symbolic
// link inside DIR (a host directory, a directory on the way, the file itself), keeps a dest full of `..`
// inside the host's directory, refuses host names that are not plain names, and deletes nothing outside
// DIR whatever its marker lists. A backup of a file written on the local host is renamed into place, so
// a link planted at the backup's name is replaced, not written through.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { leftovers, LOCAL_INVENTORY, pgha, project } from './hostile-project.js'

const CONTENT = 'rendered content\n'

/** A project whose play writes /etc/app/app.conf (and `dest` when given) on node1, with an `outside` directory beside `out`. */
function renderProject(dest = '/etc/app/app.conf', hosts = 'node1 ansible_connection=local\n') {
  const p = project({
    'inv.ini': hosts,
    'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dest}", content: "${CONTENT.replace('\n', '\\n')}", mode: "0600" }\n`,
    'outside/keep.txt': 'outside, untouched\n',
  }, 'paths')
  mkdirSync(p.path('out'))
  return { p, render: (extra: string[] = []) => pgha(['render', '-i', p.path('inv.ini'), '--playbook', p.path('site.yml'), '--out', p.path('out'), ...extra], p.dir) }
}

/** Everything under `outside`, to compare before and after. */
function snapshot(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const path = join(d, e)
      out.push(`${path} ${lstatSync(path).isDirectory() ? 'dir' : readFileSync(path, 'utf8')}`)
      if (lstatSync(path).isDirectory()) walk(path)
    }
  }
  walk(dir)
  return out.sort()
}

describe('pgha render --out DIR never writes outside DIR', () => {
  const links: [string, (out: string, outside: string) => void][] = [
    ['the host directory is a link out of DIR', (out, outside) => symlinkSync(outside, join(out, 'node1'))],
    ['a directory on the way is a link out of DIR', (out, outside) => { mkdirSync(join(out, 'node1')); symlinkSync(outside, join(out, 'node1/etc')) }],
    ['a deeper directory is a link out of DIR', (out, outside) => { mkdirSync(join(out, 'node1/etc'), { recursive: true }); symlinkSync(outside, join(out, 'node1/etc/app')) }],
    ['the file itself is a link out of DIR', (out, outside) => { mkdirSync(join(out, 'node1/etc/app'), { recursive: true }); symlinkSync(join(outside, 'keep.txt'), join(out, 'node1/etc/app/app.conf')) }],
    ['the listing is a link out of DIR', (out, outside) => { mkdirSync(join(out, 'node1')); symlinkSync(join(outside, 'keep.txt'), join(out, 'node1/_render.txt')) }],
    ['a link to a directory that does not exist yet', (out, outside) => { mkdirSync(join(out, 'node1')); symlinkSync(join(outside, 'new'), join(out, 'node1/etc')) }],
  ]
  it.each(links)('%s (--force): refused, exit 1, nothing outside changes', async (_label, plant) => {
    const { p, render } = renderProject()
    plant(p.path('out'), p.path('outside'))
    const before = snapshot(p.path('outside'))
    const r = await render(['--force'])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toMatch(/refusing to write .*: .* is a symbolic link inside --out .*, and render never follows one out of it/)
    expect(snapshot(p.path('outside'))).toEqual(before)
  }, 30_000)

  it('a link inside a host directory of an earlier render is removed with it, not followed', async () => {
    const { p, render } = renderProject()
    expect((await render()).code).toBe(0)
    symlinkSync(p.path('outside'), p.path('out/node1/etc/app/evil'))
    symlinkSync(p.path('outside'), p.path('out/node1/link'))
    const before = snapshot(p.path('outside'))
    const r = await render()
    expect(r.code, r.stderr).toBe(0)
    expect(snapshot(p.path('outside'))).toEqual(before)
    expect(readFileSync(p.path('out/node1/etc/app/app.conf'), 'utf8')).toBe(CONTENT)
    expect((lstatSync(p.path('out/node1/etc/app/app.conf')).mode & 0o777)).toBe(0o600)
  }, 30_000)

  it.each([
    ['/../../outside/pwned.conf'],
    ['/etc/../../../../outside/pwned.conf'],
  ])('dest %s stays inside the host directory', async (dest) => {
    const { p, render } = renderProject(dest)
    const r = await render()
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(p.path('outside/pwned.conf'))).toBe(false)
    expect(readFileSync(p.path('out/node1/outside/pwned.conf'), 'utf8')).toBe(CONTENT)
  }, 30_000)

  it('a relative dest is refused before anything is written (copy and template want an absolute dest)', async () => {
    const { p, render } = renderProject('../../outside/pwned.conf')
    const r = await render()
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(existsSync(p.path('outside/pwned.conf'))).toBe(false)
  }, 30_000)

  it.each([
    ['..', '".." ansible_connection=local\n'],
    ['.pgha-render', '".pgha-render" ansible_connection=local\n'],
  ])('a host named %s cannot be a directory of DIR: exit 1', async (_name, hosts) => {
    const { p, render } = renderProject('/etc/x.conf', hosts.replaceAll('"', ''))
    const r = await render()
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toMatch(/cannot be a directory name under/)
    expect(snapshot(p.path('outside'))).toEqual([`${p.path('outside/keep.txt')} outside, untouched\n`])
  }, 30_000)

  it('a marker listing ../outside deletes nothing outside DIR', async () => {
    const { p, render } = renderProject()
    writeFileSync(p.path('out/.pgha-render'), '# written by pgha render\n../outside\n..\n/etc\nnode1\n')
    const r = await render()
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(p.path('outside/keep.txt'), 'utf8')).toBe('outside, untouched\n')
  }, 30_000)

  it('no temporary file is left in DIR, and a 0600 file is 0600', async () => {
    const { p, render } = renderProject()
    expect((await render()).code).toBe(0)
    expect(leftovers(p.path('out/node1/etc/app'))).toEqual([])
    expect(lstatSync(p.path('out/node1/etc/app/app.conf')).mode & 0o777).toBe(0o600)
  }, 30_000)
})

describe('a backup on the local host', () => {
  it('a link planted at the backup name is replaced, the file it points to untouched', async () => {
    const p = project({
      'inv.ini': LOCAL_INVENTORY,
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: __DIR__/app.conf, content: "new\\n", backup: true }\n',
      'app.conf': 'old\n',
      'outside/victim.txt': 'victim\n',
    }, 'paths')
    // The backup is named after the current second: plant links for the next seconds.
    const now = Date.now()
    for (let s = 0; s < 8; s++) {
      const d = new Date(now + s * 1000)
      const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}T${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`
      symlinkSync(p.path('outside/victim.txt'), p.path(`app.conf.${stamp}~`))
    }
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini')], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(readFileSync(p.path('outside/victim.txt'), 'utf8')).toBe('victim\n')
    expect(readFileSync(p.path('app.conf'), 'utf8')).toBe('new\n')
    const backups = readdirSync(p.dir).filter((f) => f.startsWith('app.conf.') && !lstatSync(p.path(f)).isSymbolicLink())
    expect(backups).toHaveLength(1)
    expect(readFileSync(p.path(backups[0]), 'utf8')).toBe('old\n')
    expect(leftovers(p.dir)).toEqual([])
  }, 30_000)
})

const pad = (n: number): string => String(n).padStart(2, '0')
