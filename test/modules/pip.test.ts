// pip on this machine through LocalTransport, offline: a virtualenv created with `python3 -m venv`, a wheel
// from the local file system installed with --no-index, a second run plans nothing, version specifiers read
// as pip reads them, check mode exact, and uninstall. Skipped where python3 cannot make a virtualenv.
import { existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { onHost, planned, tempDir } from './file-host.js'
import { extraArgs } from '../../src/modules/pip.js'
import { satisfies, parseRequirement } from '../../src/modules/lib/pep440.js'
import { problems } from '../playbook/load-text.js'

/** Whether python3 can make a virtualenv with pip in it (Debian: the python3-venv package, which CI installs). */
const havePython = (() => {
  try {
    execFileSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** A tiny pure-Python wheel (example 21.12), written by python3's zipfile: nothing is downloaded. */
function exampleWheel(): string {
  const path = `${tempDir()}/example-21.12-py3-none-any.whl`
  const files: Record<string, string> = {
    'example/__init__.py': '',
    'example-21.12.dist-info/METADATA': 'Metadata-Version: 2.1\nName: example\nVersion: 21.12\n',
    'example-21.12.dist-info/WHEEL': 'Wheel-Version: 1.0\nGenerator: pgha-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  }
  const record = [...Object.keys(files), 'example-21.12.dist-info/RECORD'].map((f) => `${f},,`).join('\n') + '\n'
  files['example-21.12.dist-info/RECORD'] = record
  const script = 'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w")\nfor k, v in json.loads(sys.argv[2]).items(): z.writestr(k, v)\nz.close()'
  execFileSync('python3', ['-c', script, path, JSON.stringify(files)])
  return path
}

describe.skipIf(!havePython)('pip in a virtualenv on this machine, offline', () => {
  it('creates the virtualenv, installs the wheel, then plans nothing; checks specifiers; uninstalls', async () => {
    const WHEEL = exampleWheel()
    const venv = `${tempDir()}/venv`
    const args = { name: WHEEL, virtualenv: venv, virtualenv_command: 'python3 -m venv', extra_args: '--no-index' }
    const check = await onHost('pip', args, { check: true })
    expect(planned(check)).toEqual([`create the virtualenv ${venv}`, `install ${WHEEL}`])
    expect(existsSync(venv)).toBe(false)
    const first = await onHost('ansible.builtin.pip', args)
    expect(first.result.cmd).toContain(`${venv}/bin/python -m pip install --disable-pip-version-check --no-input --no-index -- ${WHEEL}`)
    expect(execFileSync(`${venv}/bin/python`, ['-c', 'import importlib.metadata as m; print(m.version("example"))'], { encoding: 'utf8' }).trim()).toBe('21.12')
    expect(planned(await onHost('pip', args))).toEqual([])
    const spec = { virtualenv: venv, extra_args: '--no-index' }
    expect(planned(await onHost('pip', { ...spec, name: ['example>=21,<22'] }, { check: true }))).toEqual([])
    expect(planned(await onHost('pip', { ...spec, name: 'example', version: '22.1' }, { check: true }))).toEqual(['install example==22.1'])
    expect(planned(await onHost('pip', { ...spec, name: 'Example', state: 'absent' }, { check: true }))).toEqual(['uninstall example'])
    await onHost('pip', { ...spec, name: 'Example', state: 'absent' })
    expect(planned(await onHost('pip', { ...spec, name: 'example', state: 'absent' }))).toEqual([])
  }, 120_000)
})

describe('pip inputs', () => {
  it('reads version specifiers as pip does', () => {
    const ok = (v: string, spec: string) => satisfies(v, (parseRequirement(`x${spec}`) as { clauses: { op: string; version: string }[] }).clauses)
    expect(ok('1.4.2', '>=1.4,<2')).toBe(true)
    expect(ok('2.0', '>=1.4,<2')).toBe(false)
    expect(ok('1.4.9', '==1.4.*')).toBe(true)
    expect(ok('1.5', '==1.4.*')).toBe(false)
    expect(ok('2.1.5', '~=2.1')).toBe(true)
    expect(ok('3.0', '~=2.1')).toBe(false)
    expect(ok('2.0rc1', '<2.0')).toBe(true)
    expect(ok('2.0.post1', '>2.0')).toBe(true)
    expect(ok('1.0', '==1.0.0')).toBe(true)
  })

  it('passes on only the pip options it knows, each as one word', () => {
    expect(extraArgs('--index-url https://pypi.internal/simple --pre')).toEqual(['--index-url', 'https://pypi.internal/simple', '--pre'])
    expect(extraArgs('--trusted-host=pypi.internal')).toEqual(['--trusted-host', 'pypi.internal'])
    expect(extraArgs('--target /tmp/x')).toMatch(/pgha passes on only these pip options/)
    expect(extraArgs('-i --pre')).toBe('-i needs a value')
  })

  it('refuses at load time what it cannot read, with the position', () => {
    const play = (args: string) => `- hosts: all\n  tasks:\n    - pip: ${args}\n`
    expect(problems(play('{ name: "git+https://example.org/x.git" }'))[0]).toBe(`3:20: parameter 'name.0' of module 'pip': "git+https://example.org/x.git" is not a requirement pgha reads: URLs, VCS references and direct references are not read by pgha (or the absolute path of a .whl file)`)
    expect(problems(play('{ name: flask, extra_args: "--target /tmp/x" }'))[0]).toMatch(/parameter 'extra_args' of module 'pip': pgha passes on only these pip options/)
    expect(problems(play('{ name: [a, b], version: "1.0" }'))).toEqual(["3:7: invalid arguments for module 'pip': version goes with a single name"])
    expect(problems(play('{ name: a, virtualenv: /v, executable: pip3 }'))).toEqual(["3:7: invalid arguments for module 'pip': executable and virtualenv are mutually exclusive"])
  })
})
