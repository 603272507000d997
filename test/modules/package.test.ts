// The package facts and plans against this Debian machine's real dpkg database and apt lists. Only plans
// and check mode: installing would reach the network.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { aptCacheAgeFact, aptCandidatesFact, aptInstalledFact } from '../../src/facts/index.js'
import { getModule } from '../../src/modules/index.js'
import { localFact, runLocal } from './local-host.js'

const sh = (c: string) => spawnSync('sh', ['-c', c], { encoding: 'utf8' }).stdout.trim()
const hasDpkg = sh('command -v dpkg-query') !== ''

describe.runIf(hasDpkg)('package facts and plans on this Debian host', () => {
  it('reads installed versions the way dpkg reports them', async () => {
    const installed = await localFact(aptInstalledFact, {})
    expect(installed.versions.bash).toBe(sh("dpkg-query -W -f='${Version}' bash"))
    expect(installed.versions.coreutils).toBe(sh("dpkg-query -W -f='${Version}' coreutils"))
    expect(installed.versions['no-such-package-pgha']).toBeUndefined()
  })

  it('reads candidates from apt-cache policy, null for unknown names', async () => {
    const c = await localFact(aptCandidatesFact, { names: ['bash', 'no-such-package-pgha'] })
    const expected = /Candidate: (\S+)/.exec(sh('LC_ALL=C apt-cache policy bash'))?.[1]
    expect(c.bash).toBe(expected === '(none)' ? null : expected)
    expect(c['no-such-package-pgha']).toBeNull()
  })

  it('plans nothing for installed packages and costs one fact read', async () => {
    const { plan, host } = await runLocal('package', { name: 'bash, coreutils' }, { check: true })
    expect(plan.changes).toEqual([])
    expect(host.commands).toHaveLength(2) // host facts + installed packages
  })

  it('plans an install for a missing package in check mode, and nothing runs', async () => {
    const { plan, host } = await runLocal('apt', { name: ['bash', 'no-such-package-pgha'] }, { check: true })
    expect(plan.changes.map((c) => c.description)).toEqual(['install no-such-package-pgha'])
    expect(host.commands.some((c) => /apt-get (-y|-q update)/.test(c))).toBe(false)
  })

  it('plans latest against the candidate', async () => {
    const installed = sh("dpkg-query -W -f='${Version}' bash")
    const candidate = /Candidate: (\S+)/.exec(sh('LC_ALL=C apt-cache policy bash'))?.[1]
    const { plan } = await runLocal('package', { name: 'bash', state: 'latest' }, { check: true })
    const expected = candidate === installed ? [] : [`upgrade bash (${installed} -> ${candidate})`]
    expect(plan.changes.map((c) => c.description)).toEqual(expected)
  })

  it('reads the age of the package lists and refreshes only when they are older than cache_valid_time', async () => {
    const age = await localFact(aptCacheAgeFact, {})
    const stamp = Number(sh('stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists'))
    expect(Math.abs((age ?? 0) - (Math.floor(Date.now() / 1000) - stamp))).toBeLessThanOrEqual(2)
    const fresh = await runLocal('apt', { update_cache: true, cache_valid_time: 10 * 365 * 86400 }, { check: true })
    expect(fresh.plan.changes).toEqual([])
    const stale = await runLocal('apt', { cache_valid_time: 0 }, { check: true })
    expect(stale.plan.changes.map((c) => c.description)).toEqual(['update the package cache'])
  })

  it('plans a .deb by the package and version it holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgha-deb-'))
    const build = (name: string, version: string): string => {
      const root = join(dir, name)
      mkdirSync(join(root, 'DEBIAN'), { recursive: true })
      writeFileSync(join(root, 'DEBIAN', 'control'), `Package: ${name}\nVersion: ${version}\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test\n`)
      sh(`dpkg-deb --build ${root} ${root}.deb >/dev/null`)
      return `${root}.deb`
    }
    const bash = sh("dpkg-query -W -f='${Version}' bash")
    expect((await runLocal('apt', { deb: build('bash', bash) }, { check: true })).plan.changes).toEqual([])
    const other = build('pgha-test-deb', '1.0')
    expect((await runLocal('apt', { deb: other }, { check: true })).plan.changes.map((c) => c.description)).toEqual([`install ${other} (pgha-test-deb 1.0)`])
    await expect(runLocal('apt', { deb: join(dir, 'missing.deb') }, { check: true })).rejects.toThrow('is not a .deb file')
  })

  it('plans upgrade, autoclean and autoremove from apt-get simulate, clean from the archives, nothing run in check mode', async () => {
    const would = (op: string, re: RegExp) => sh(`LC_ALL=C apt-get -s -q ${op}`).split('\n').filter((l) => re.test(l)).length
    // How many packages (or files) the plan's one change names: those listed, and the "and N more".
    const count = (changes: { description: string }[]) => {
      const list = changes[0]?.description.split(': ')[1]
      if (list === undefined) return 0
      const more = /, and (\d+) more$/.exec(list)
      return list.replace(/, and \d+ more$/, '').split(', ').length + Number(more?.[1] ?? 0)
    }
    const cases = [
      { args: { upgrade: 'dist' }, op: 'dist-upgrade', re: /^(Inst|Remv) / },
      { args: { upgrade: 'yes' }, op: 'upgrade --with-new-pkgs', re: /^(Inst|Remv) / },
      { args: { autoclean: true }, op: 'autoclean', re: /^Del / },
      { args: { autoremove: true }, op: 'autoremove', re: /^(Inst|Remv) / },
    ]
    for (const c of cases) {
      const { plan, host } = await runLocal('apt', c.args, { check: true })
      const n = would(c.op, c.re)
      expect({ op: c.op, planned: count(plan.changes) }).toEqual({ op: c.op, planned: n })
      expect(host.commands.some((cmd) => /apt-get -y/.test(cmd))).toBe(false)
    }
    const cached = Number(sh('find /var/cache/apt/archives /var/cache/apt/archives/partial -maxdepth 1 -type f ! -name lock 2>/dev/null | wc -l'))
    const { plan } = await runLocal('apt', { clean: true }, { check: true })
    expect(count(plan.changes)).toBe(cached)
  })

  it("refuses apt's parameters on yum, and deb with name", () => {
    expect(getModule('yum')!.params.safeParse({ name: 'x', cache_valid_time: 60 }).success).toBe(false)
    expect(getModule('apt')!.params.safeParse({ name: 'x', deb: '/tmp/x.deb' }).success).toBe(false)
    expect(getModule('apt')!.params.safeParse({ name: 'x', force_apt_get: true }).success).toBe(true)
  })
})
