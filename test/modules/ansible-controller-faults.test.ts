// The controller's Ansible misbehaving: pgha finds it through the `#!` of ansible-playbook on PATH, so a
// fake ansible-playbook whose interpreter is a shell script plays a python that hangs (with a child of its
// own), dies, babbles or only writes to stderr, when resolving names at load and when building a payload.
// Each ends, within a bound far above the deadline (PGHA_ANSIBLE_TIMEOUT, 1 s here), in an error naming
// the step, the python and its ansible-playbook; nothing it started is left running; no argument leaks.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { ConfigErrors, formatLoc } from '../../src/errors.js'
import { ansibleModules } from '../../src/modules/index.js'
import { isRunning } from '../processes.js'
import { localHosts, play, project } from '../engine/harness.js'

const saved = { PATH: process.env.PATH, PGHA_ANSIBLE_TIMEOUT: process.env.PGHA_ANSIBLE_TIMEOUT, PGHA_NO_CACHE: process.env.PGHA_NO_CACHE }
beforeEach(() => {
  process.env.PGHA_ANSIBLE_TIMEOUT = '1'
  process.env.PGHA_NO_CACHE = '1'
})
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

/** Far above the 1 s deadline: only "it ended", never a timing claim. */
const BOUND_MS = 30_000

/** A child of its own, and both pids written down, before the script goes on. */
const CHILD = 'sleep 300 & echo $! >> "$DIR/pids"; echo $$ >> "$DIR/pids"'
const HANG = `${CHILD}; sleep 301`

/** The fake python's processes, once they were killed (a kill takes effect soon after, not at once). */
async function leftRunning(pids: () => number[]): Promise<number[]> {
  const t0 = Date.now()
  while (pids().some(isRunning) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50))
  return pids().filter(isRunning)
}

/**
 * A bin dir first on PATH whose ansible-playbook runs `python`, a shell script: `resolve` runs the given
 * script (default: it answers that pghatest.fake.thing is a module), `serve` the other.
 */
function fakeAnsible(behaviour: { resolve?: string; serve?: string }): { bin: string; pids: () => number[] } {
  const bin = mkdtempSync(join(tmpdir(), 'pgha-fake-ansible-'))
  onTestFinished(() => rmSync(bin, { recursive: true, force: true }))
  writeFileSync(join(bin, 'thing.py'), '# a module only the fake Ansible has\n')
  const answer = JSON.stringify({ version: '9.9.9', watch: [], answers: [{ fqcn: 'pghatest.fake.thing', path: join(bin, 'thing.py'), deprecations: [], secrets: [] }] })
  const resolve = behaviour.resolve ?? `cat > /dev/null; echo '${answer}'`
  const serve = behaviour.serve ?? 'exit 1'
  // $1 is pgha's helper script, $2 its verb.
  writeFileSync(join(bin, 'python'), `#!/bin/sh\nDIR='${bin}'\ncase "$2" in\n  resolve) ${resolve} ;;\n  serve) ${serve} ;;\nesac\n`)
  writeFileSync(join(bin, 'ansible-playbook'), `#!${bin}/python\n`)
  for (const f of ['python', 'ansible-playbook']) chmodSync(join(bin, f), 0o755)
  process.env.PATH = `${bin}:${saved.PATH}`
  const pids = (): number[] => readFileSync(join(bin, 'pids'), 'utf8').trim().split('\n').map(Number)
  return { bin, pids }
}

/** The load's errors as `file:line:col: message`, and how long the load took. */
async function loadErrors(tasks: string): Promise<{ errors: string[]; ms: number }> {
  const p = project(localHosts(['h1']), { 'site.yml': play(tasks) })
  const t0 = Date.now()
  const err = await p.run().then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(ConfigErrors)
  const errors = (err as ConfigErrors).errors.map((e) => `${e.loc ? formatLoc(e.loc).replace(/^.*\//, '') : ''}: ${e.message}`)
  return { errors, ms: Date.now() - t0 }
}

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ansible-modules.py')
const ADVICE = (bin: string): string =>
  `check that \`${bin}/python -c 'import ansible.plugins.loader'\` ends promptly (a broken collection, a network home directory or a sitecustomize can hang it)`
// tempfile is one of Ansible's modules, which pgha lacks; pghatest.fake.thing might be a misspelling.
const LACKS = "site.yml:6:7: unknown module 'tempfile': pgha does not have it, and the controller's Ansible could not be asked"
const NEAREST = "; the nearest it has is 'template' (npx pgha doc lists every module)"
const MISSPELT = "site.yml:6:7: unknown module 'pghatest.fake.thing' (did you mean 'ansible.builtin.ping'?), and the controller's Ansible could not be asked"

describe('resolving module names at load, with an Ansible that misbehaves', () => {
  it('hangs: stopped at the deadline with its child, an error at the task before any host', async () => {
    const { bin, pids } = fakeAnsible({ resolve: `echo 'importing collections' >&2; ${HANG}` })
    const { errors, ms } = await loadErrors('    - tempfile: { state: file }\n')
    expect(errors).toEqual([
      `${LACKS} (resolving module names with the python of ${bin}/ansible-playbook (${bin}/python) took over 1 s and was stopped: ` +
        `${ADVICE(bin)} (its last words on stderr: importing collections); PGHA_ANSIBLE_TIMEOUT sets the deadline in seconds)${NEAREST}`,
    ])
    expect(ms).toBeLessThan(BOUND_MS)
    expect(pids()).toHaveLength(2)
    expect(await leftRunning(pids)).toEqual([])
  })

  it('hangs once a run: a later load (a dynamic include) is told so without another wait', async () => {
    const { pids } = fakeAnsible({ resolve: HANG })
    const resolver = ansibleModules()
    resolver.find('tempfile', [])
    resolver.settle()
    expect(resolver.find('tempfile', [])?.notFound).toMatch(/took over 1 s and was stopped/)
    const t0 = Date.now()
    resolver.find('debconf', [])
    resolver.settle()
    expect(resolver.find('debconf', [])?.notFound).toMatch(/took over 1 s and was stopped/)
    // No second python: the first one's two processes are all there were, and are gone.
    expect([resolver.starts, pids().length]).toEqual([1, 2])
    expect(Date.now() - t0).toBeLessThan(BOUND_MS)
    expect(await leftRunning(pids)).toEqual([])
  })

  it('dies: its last words and how it ended', async () => {
    const { bin } = fakeAnsible({ resolve: "echo 'Traceback (most recent call last):' >&2; echo 'ImportError: cannot import name C' >&2; exit 1" })
    expect((await loadErrors('    - pghatest.fake.thing: { a: 1 }\n')).errors).toEqual([
      `${MISSPELT} (resolving module names with the python of ${bin}/ansible-playbook (${bin}/python) and ${SCRIPT} failed: it exited with 1: ImportError: cannot import name C)`,
    ])
  })

  it('writes what is not an answer: quoted', async () => {
    const { bin } = fakeAnsible({ resolve: "cat > /dev/null; echo 'Welcome to the build farm'" })
    expect((await loadErrors('    - tempfile: { state: file }\n')).errors).toEqual([
      `${LACKS} (resolving module names with the python of ${bin}/ansible-playbook (${bin}/python) and ${SCRIPT} gave no answer pgha can read: it wrote 'Welcome to the build farm')${NEAREST}`,
    ])
  })

  it('is given a deadline that is not a number: says so', async () => {
    fakeAnsible({})
    process.env.PGHA_ANSIBLE_TIMEOUT = 'soon'
    expect((await loadErrors('    - tempfile: { state: file }\n')).errors).toEqual([
      `${LACKS} (PGHA_ANSIBLE_TIMEOUT is 'soon': expected a number of seconds above 0 and at most 86400)${NEAREST}`,
    ])
  })
})

/** Runs one task of the fake module with an argument that must not be shown; its failure message. */
async function payloadFailure(): Promise<{ msg: string; ms: number }> {
  const p = project(localHosts(['h1']), { 'site.yml': play('    - name: fake\n      pghatest.fake.thing: { note: "Zq7-unguessable-note", n: 1 }\n') })
  const t0 = Date.now()
  const r = await p.run()
  const ms = Date.now() - t0
  expect(r.exitCode).toBe(2)
  const result = r.results('fake').h1.result
  expect(result.failed).toBe(true)
  expect(JSON.stringify(r.events)).not.toContain('Zq7-unguessable-note')
  return { msg: String(result.msg), ms }
}

const HELPER = (bin: string): string => `pgha could not build pghatest.fake.thing with the controller's Ansible: the controller's Ansible helper (the python of ${bin}/ansible-playbook (${bin}/python) running ${SCRIPT} serve)`

describe('building a payload, with a helper that misbehaves', () => {
  it('hangs after writing to stderr only: the task fails at the deadline, the helper and its child are gone', async () => {
    const { bin, pids } = fakeAnsible({ serve: `echo 'loading module_utils' >&2; ${HANG}` })
    const { msg, ms } = await payloadFailure()
    expect(msg).toBe(`${HELPER(bin)} took over 1 s to build pghatest.fake.thing's payload and was stopped: ${ADVICE(bin)} (its last words on stderr: loading module_utils); PGHA_ANSIBLE_TIMEOUT sets the deadline in seconds`)
    expect(ms).toBeLessThan(BOUND_MS)
    expect(pids()).toHaveLength(2)
    expect(await leftRunning(pids)).toEqual([])
  })

  it('dies reading the request: its last words, the argument it echoed masked', async () => {
    const { bin } = fakeAnsible({ serve: 'read line; echo "ValueError: bad request $line" >&2; exit 1' })
    const { msg } = await payloadFailure()
    expect(msg.startsWith(`${HELPER(bin)} exited with 1: ValueError: bad request {"id":1,`)).toBe(true)
    expect(msg).toContain('"note":"********"')
  })

  it('writes what is not a reply: stopped, the start of the line quoted, the argument masked', async () => {
    const { bin, pids } = fakeAnsible({ serve: `${CHILD}; read line; echo "{\\"args\\": \${line#*\\"args\\"}"; sleep 301` })
    const { msg } = await payloadFailure()
    expect(msg).toBe(`${HELPER(bin)} wrote what is not a reply and was stopped: '{"args": :{"note":"********","n":1},"internal":{"check":false,"no_log":false,"diff":false,"verbosity":0}}'`)
    expect(await leftRunning(pids)).toEqual([])
  })
})
