// apt's whole-system parameters (upgrade, autoremove, autoclean, clean, only_upgrade) run by pgha on node1
// and by ansible-playbook (Debian's ansible-core) on node2, each node set up alike from its offline apt
// cache (no download: the lab has no route to a mirror): each task's changed status must agree, and both
// nodes must end with the same packages and the same downloaded-package cache. The one difference is
// clean's status: ansible-core 2.14 empties the cache but reports ok (its upgrade parameter defaults to the
// truthy 'no', so the changed exit after clean is never taken); pgha reports changed when it removed files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { labExec, labReset, skipReason } from './lab-env.js'
import { offlineInstall, spawnCollect, writeLabInventory } from './ansible-on-lab.js'

const NODES = ['node1', 'node2']

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - name: dist-upgrade with nothing to upgrade
      apt: { upgrade: dist }
    - name: safe upgrade with nothing to upgrade
      apt: { upgrade: yes }
    - name: autoremove in check mode
      apt: { autoremove: yes }
      check_mode: true
    - name: autoremove
      apt: { autoremove: yes }
    - name: autoremove again
      apt: { autoremove: yes }
    - name: autoclean
      apt: { autoclean: yes }
    - name: autoclean again
      apt: { autoclean: yes }
    - name: only_upgrade leaves out what is not installed
      apt: { name: python3-yaml, state: latest, only_upgrade: yes }
    - name: clean
      apt: { clean: yes }
    - name: clean again
      apt: { clean: yes }
`

type Status = 'ok' | 'changed' | 'failed'

const onHost = async (n: string, cmd: string): Promise<string> => (await labExec(n, ['sh', '-c', cmd], { timeoutMs: 300_000 })).stdout.trim()

describe.skipIf(skipReason)('apt upgrade/autoremove/autoclean/clean/only_upgrade: pgha and ansible-playbook on alike nodes', () => {
  let dir = ''
  let pgha: Record<string, Status> = {}
  let ansible: Record<string, Status> = {}

  beforeAll(async () => {
    // Pristine nodes (an earlier test file may have changed their packages or cache), then alike: python3 and python3-apt (Ansible's apt needs them), python3-yaml installed as a dependency
    // nothing needs (autoremove's work), a cached .deb no list offers (autoclean's): all from the offline cache.
    await labReset(NODES)
    await Promise.all(NODES.map((n) => offlineInstall(n, ['python3', 'python3-apt', 'python3-yaml'], 'apt-mark auto python3-yaml && echo x > /var/cache/apt/archives/pgha-gone_1.0_all.deb')))
    dir = mkdtempSync(join(tmpdir(), 'pgha-apt-system-'))
    const { inventory, ansibleCfg } = writeLabInventory(dir, NODES)
    const book = join(dir, 'site.yml')
    writeFileSync(book, PLAY)

    const p = await spawnCollect(process.execPath, [BIN, 'run', book, '-i', inventory, '-l', 'node1', '-o', 'json'], { ...process.env, NO_COLOR: '1' })
    const pdoc = JSON.parse(p.stdout) as { plays: { tasks: { name: string; hosts: Record<string, { status: string }> }[] }[] }
    pgha = Object.fromEntries(pdoc.plays[0].tasks.map((t) => [t.name, t.hosts.node1.status as Status]))

    const a = await spawnCollect('ansible-playbook', ['-i', inventory, '-l', 'node2', book], {
      ...process.env, ANSIBLE_CONFIG: ansibleCfg, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: join(dir, '.ansible-tmp'), ANSIBLE_HOME: join(dir, '.ansible'),
    })
    const adoc = JSON.parse(a.stdout.slice(a.stdout.indexOf('{'))) as { plays: { tasks: { task: { name: string }; hosts: Record<string, { changed?: boolean; failed?: boolean }> }[] }[] }
    ansible = Object.fromEntries(adoc.plays[0].tasks.map((t) => {
      const h = t.hosts.node2
      return [t.task.name, (h.failed ? 'failed' : h.changed ? 'changed' : 'ok') as Status]
    }))
  }, 900_000)

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    // Back to the image: the cache and the packages these tasks changed.
    await labReset(NODES)
  }, 600_000)

  it('reports the same status per task as ansible-playbook, but for clean', () => {
    const { clean: pghaClean, 'clean again': pghaAgain, ...pghaRest } = pgha
    const { clean: ansibleClean, 'clean again': ansibleAgain, ...ansibleRest } = ansible
    expect(pghaRest).toEqual(ansibleRest)
    expect(pghaRest).toMatchObject({ 'autoremove in check mode': 'changed', autoremove: 'changed', 'autoremove again': 'ok', autoclean: 'changed', 'autoclean again': 'ok' })
    expect(Object.values(pghaRest).filter((s) => s === 'changed')).toHaveLength(3)
    expect({ pghaClean, pghaAgain, ansibleClean, ansibleAgain }).toEqual({ pghaClean: 'changed', pghaAgain: 'ok', ansibleClean: 'ok', ansibleAgain: 'ok' })
  })

  it('leaves both nodes alike: the dependency removed, nothing installed by only_upgrade, the cache empty', async () => {
    for (const n of NODES) {
      expect(await onHost(n, "dpkg-query -W -f='${db:Status-Abbrev}' python3-yaml 2>/dev/null || true"), n).not.toMatch(/^ii/)
      expect(await onHost(n, 'dpkg-query -W -f="\\${db:Status-Abbrev}" python3-apt'), n).toBe('ii')
      expect(await onHost(n, 'find /var/cache/apt/archives -maxdepth 2 -type f ! -name lock | wc -l'), n).toBe('0')
    }
  })
})
