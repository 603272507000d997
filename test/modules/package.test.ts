// The package facts and plans against this Debian machine's real dpkg database and apt lists. Only plans
// and check mode: installing would reach the network.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { aptCandidatesFact, aptInstalledFact } from '../../src/facts/index.js'
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
})
