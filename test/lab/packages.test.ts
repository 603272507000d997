// The lab's Debian packages: one list (scripts/lab-packages.txt) that `lab up` installs from and .ci/run
// reads, and the decision from what dpkg lacks to the commands run as root or printed for a user.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { ensureLabPackages, installedFrom, labPackages, labPackagesFile, missingPackages, packagePlan, parsePackageList } from '../../src/lab/packages.js'
import { tryRunSync } from '../../src/lab/run.js'
import { projectRoot } from '../../src/project-root.js'

describe('the package list', () => {
  it('reads names outside comments, in order, once each', () => {
    const text = '# header\n\ndebootstrap   # builds the image\n  iproute2\tmount # two on a line\ndebootstrap\n'
    expect(parsePackageList(text, 'list.txt')).toEqual(['debootstrap', 'iproute2', 'mount'])
  })

  it('names the file, line and column of a word that is no package name', () => {
    const bad = () => parsePackageList('debootstrap\n  systemd_container # typo\n', 'list.txt')
    expect(bad).toThrow(ConfigError)
    expect(bad).toThrow(/"systemd_container" is not a Debian package name/)
    try {
      bad()
    } catch (err) {
      expect((err as ConfigError).loc).toEqual({ file: 'list.txt', line: 2, col: 3 })
    }
  })

  it('refuses a list that names nothing', () => {
    expect(() => parsePackageList('# only comments\n', 'list.txt')).toThrow(/names no package/)
  })

  it('the shipped list holds the packages of every tool the lab checks for', () => {
    expect(labPackagesFile()).toBe(join(projectRoot(), 'scripts', 'lab-packages.txt'))
    expect(labPackages()).toEqual(expect.arrayContaining(['debootstrap', 'debian-archive-keyring', 'systemd-container', 'iproute2', 'openssh-client', 'util-linux', 'mount']))
  })

  it('is the list .ci/run installs, read by its own line of bash', () => {
    const ci = readFileSync(join(projectRoot(), '.ci', 'run'), 'utf8')
    const line = ci.split('\n').find((l) => l.startsWith('mapfile -t lab_packages'))
    expect(line).toBeDefined()
    const out = execFileSync('bash', ['-c', `${line}\nprintf '%s\\n' "\${lab_packages[@]}"`], { cwd: projectRoot(), encoding: 'utf8' })
    expect(out.trim().split('\n')).toEqual(labPackages())
    expect(ci).toMatch(/packages=\("\$\{lab_packages\[@\]\}"/)
  })
})

describe('what is missing', () => {
  it('counts only packages dpkg reports as installed', () => {
    const out = 'debootstrap install ok installed\nmount deinstall ok config-files\niproute2 install ok half-configured\n'
    expect([...installedFrom(out)]).toEqual(['debootstrap'])
  })

  it.runIf(tryRunSync('dpkg-query', ['--version']).rc === 0)('asks dpkg, which knows dpkg itself and not an unknown name', () => {
    expect(missingPackages(['dpkg', 'pgha-no-such-package'])).toEqual(['pgha-no-such-package'])
  })
})

describe('what to do about it', () => {
  it('nothing when nothing is missing', () => {
    expect(packagePlan([], true)).toEqual({ action: 'none' })
    expect(packagePlan([], false)).toEqual({ action: 'none' })
  })

  it('as root: apt-get update, then install exactly the missing packages', () => {
    expect(packagePlan(['debootstrap', 'systemd-container'], true)).toEqual({
      action: 'install',
      missing: ['debootstrap', 'systemd-container'],
      commands: [
        ['apt-get', 'update', '-q'],
        ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'debootstrap', 'systemd-container'],
      ],
    })
  })

  it('as another user: the one line to run', () => {
    expect(packagePlan(['debootstrap', 'systemd-container'], false)).toEqual({
      action: 'tell',
      missing: ['debootstrap', 'systemd-container'],
      command: 'sudo apt-get update && sudo apt-get install -y --no-install-recommends debootstrap systemd-container',
    })
  })
})

describe.runIf(tryRunSync('dpkg-query', ['--version']).rc === 0)('lab up on a machine that lacks a package', () => {
  it('stops before touching anything when not root, with the command that installs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgha-packages-'))
    const file = join(dir, 'list.txt')
    writeFileSync(file, 'dpkg\npgha-no-such-package\n')
    const said: string[] = []
    const up = ensureLabPackages((m) => said.push(m), { isRoot: false, file })
    await expect(up).rejects.toThrow('sudo apt-get update && sudo apt-get install -y --no-install-recommends pgha-no-such-package\n')
    await expect(up).rejects.toThrow(/needs root, and the Debian packages pgha-no-such-package\. Install them with:/)
    expect(said).toEqual([])
  })
})
