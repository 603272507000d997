// Every broken input under test/fixtures/bad/ is refused before any host is contacted: exit code 1 and a
// message naming file:line:col and what is wrong, both from the engine (with a transport factory that
// records any connection attempt) and from the `pgha run` binary. Each case is a folder with site.yml, an
// optional inventory (hosts.yml or hosts.ini, else the shared ../hosts.yml, whose hosts point at a closed
// loopback port) and expect.yaml: { args?: CLI args, error: substrings of stderr, errors?: count, exit }.
// Folders starting with _ are not cases (_valid/ is the control: good input the checks must accept).
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'yaml'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { BIN } from '../built.js'
import { runPlaybook, type EngineEvent, type RunOptions } from '../../src/engine/index.js'
import { prepare } from '../../src/engine/preflight.js'
import type { ConnectionSpec, Transport } from '../../src/transport/types.js'

interface Expectation {
  args?: string[]
  error: string[]
  errors?: number
  exit: number
}

const ROOT = resolve(__dirname, '../fixtures/bad')
const run = promisify(execFile)

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
  .map((d) => d.name)
  .sort()

function expectation(name: string): Expectation {
  return parse(readFileSync(join(ROOT, name, 'expect.yaml'), 'utf8')) as Expectation
}

function inventoryOf(name: string): string {
  return ['hosts.yml', 'hosts.ini'].find((f) => existsSync(join(ROOT, name, f))) ?? '../hosts.yml'
}

/** The run options the CLI would build from the case's arguments (only -e and --limit are used). */
function optionsOf(name: string, openTransport: RunOptions['openTransport'], onEvent: RunOptions['onEvent']): RunOptions {
  const options: RunOptions = { playbook: 'site.yml', inventory: inventoryOf(name), extraVars: [], openTransport, onEvent }
  const args = [...(expectation(name).args ?? [])]
  while (args.length > 0) {
    const [flag, value] = args.splice(0, 2)
    if (flag === '-e' || flag === '--extra-vars') options.extraVars!.push(value)
    else if (flag === '-l' || flag === '--limit') options.limit = value
    else throw new Error(`${name}/expect.yaml: argument ${flag} is not supported by this runner`)
  }
  return options
}

/** What the CLI prints for input errors (src/cli/index.ts report()). */
function printed(err: ConfigErrors): string {
  return `${err.message}\n\n${err.errors.length} error${err.errors.length === 1 ? '' : 's'} in the input; no host was contacted.\n`
}

describe('bad input fixtures', () => {
  it('hold at least 40 cases, each expecting exit 1 and naming file:line:col', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
    for (const name of cases) {
      const e = expectation(name)
      expect(e.exit, name).toBe(1)
      expect(e.error.some((s) => /:\d+:\d+/.test(s)), `${name} names no file:line:col`).toBe(true)
    }
  })
})

describe('bad input through the engine: nothing is contacted', () => {
  const cwd = process.cwd()
  afterAll(() => process.chdir(cwd))

  it('accepts the control case _valid/, which uses every checked feature correctly', () => {
    process.chdir(join(ROOT, '_valid'))
    const prepared = prepare({ playbook: 'site.yml', inventory: '../hosts.yml' })
    expect(prepared.playbook.plays[0].tasks.map((t) => t.displayName)).toContain('configuration for {{ inventory_hostname }}')
  })

  it.each(cases)('%s', async (name) => {
    const e = expectation(name)
    const opened: ConnectionSpec[] = []
    const events: EngineEvent[] = []
    const openTransport = (spec: ConnectionSpec): Transport => {
      opened.push(spec)
      throw new Error(`connection attempted to ${spec.host}`)
    }
    process.chdir(join(ROOT, name))
    const err = await runPlaybook(optionsOf(name, openTransport, (ev) => events.push(ev))).then(
      () => undefined,
      (x: unknown) => x,
    )
    expect(opened).toEqual([])
    expect(events).toEqual([])
    expect(err).toBeInstanceOf(ConfigErrors)
    const errors = (err as ConfigErrors).errors
    // Every problem says where it is, not only the ones the fixture names.
    expect(errors.filter((x) => !x.loc).map((x) => x.message)).toEqual([])
    if (e.errors !== undefined) expect(errors).toHaveLength(e.errors)
    const text = printed(err as ConfigErrors)
    for (const s of e.error) expect(text).toContain(s)
  })
})

describe('bad input through `pgha run`', () => {
  it.concurrent.each(cases)('%s', async (name) => {
    const e = expectation(name)
    const args = [BIN, 'run', 'site.yml', '-i', inventoryOf(name), ...(e.args ?? [])]
    const result = await run(process.execPath, args, { cwd: join(ROOT, name), env: { ...process.env, NO_COLOR: '1' } }).then(
      (r) => ({ code: 0, ...r }),
      (x: { code: number; stdout: string; stderr: string }) => x,
    )
    expect(result.code, result.stderr).toBe(e.exit)
    expect(result.stdout, result.stderr).toBe('')
    for (const s of e.error) expect(result.stderr).toContain(s)
    expect(result.stderr).toMatch(/in the input; no host was contacted\.\n$/)
    expect(result.stderr).not.toMatch(/INTERNAL ERROR|PLAY RECAP|unreachable/i)
    if (e.errors !== undefined) expect(result.stderr).toContain(`${e.errors} errors in the input`)
  })
})
