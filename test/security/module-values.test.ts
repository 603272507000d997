// Every module, every string parameter, every kind of hostile value, on the fake transport: the command
// text, the stdin and the files a module writes keep the value as data. Each fixture of
// test/fixtures/modules gives a module a working set of parameters and the host's answers; each of its
// string parameters (and each string of a list) is replaced in turn by values that would become an option
// (`-oPWNED`), sh syntax (`$(...)`, `;`, a glob, a quote), a second line (a newline, a psql `\!` command)
// or a path out of its directory (`../../`). The module may refuse the value (an input error or a failed
// task: the user sees it named) or use it; when it uses it, sh must read it as one word, quoted, and
// after `--` or a flag when it starts with '-'; psql must not read a line of it as a command; a file
// must not gain a line it starts; no write may leave its directory.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { getModule } from '../../src/modules/index.js'
import { describeParams } from '../../src/modules/describe.js'
import type { RecordedCall } from '../../src/transport/fake.js'
import { fixtureHost, fixturesRoot as root, type Fixture } from '../modules/fixture-file.js'
import { runModule } from '../modules/harness.js'
import { valueAsData } from './shell-words.js'

const MARK = 'PWNED'

/** The hostile values: each carries the marker, so where it went can be found. */
const HOSTILE = [`-o${MARK}`, `x'$(touch ${MARK})'`, `x;touch ${MARK}`, `x\n${MARK}=1`, `x\n\\! touch ${MARK}`, `x y ${MARK}*`, `x"${MARK}`, `../../${MARK}`]

/** Parameters that are code or text the author writes whole, meant to run or to hold lines: not data. */
const CODE = new Set(['shell/cmd', 'command/cmd', 'command/argv', 'postgresql_query/query', 'replace/replace', 'deb822_repository/signed_by', 'copy/content', 'blockinfile/block', 'authorized_key/key', 'apt_key/data', 'unarchive/extra_opts', 'command/stdin', 'shell/stdin'])

interface Case {
  module: string
  fixture: string
  param: string
  value: string
  args: Record<string, unknown>
  fx: Fixture
}

/** Each string parameter of the fixture (given, or declared and not given), each list item, with each hostile value. */
function casesOf(module: string, fixture: string, fx: Fixture): Case[] {
  const declared = describeParams(getModule(module)!.params)
  const names = [...Object.keys(fx.params), ...declared.filter((d) => /string/.test(d.type) && !(d.name in fx.params)).map((d) => d.name)]
  const out: Case[] = []
  for (const param of names) {
    if (CODE.has(`${module}/${param}`)) continue
    const given = fx.params[param] ?? (declared.find((d) => d.name === param)?.type.startsWith('list') ? ['ok'] : 'ok')
    const slots: ((v: string) => unknown)[] = []
    if (typeof given === 'string') slots.push((v) => v)
    if (Array.isArray(given)) given.forEach((item, i) => typeof item === 'string' && slots.push((v) => given.map((x, j) => (j === i ? v : x))))
    for (const slot of slots) for (const value of HOSTILE) out.push({ module, fixture, param, value, args: { ...fx.params, [param]: slot(value) }, fx })
  }
  return out
}

const cases: Case[] = readdirSync(root).flatMap((module) =>
  readdirSync(join(root, module))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => {
      const fx = parse(readFileSync(join(root, module, f), 'utf8')) as Fixture
      return fx.expect?.error === undefined ? casesOf(module, f, fx) : []
    }),
)

/** Runs the case on the fake host; the calls it made, whatever the outcome (a refusal is a good outcome). */
async function run(c: Case): Promise<RecordedCall[]> {
  const { transport, facts } = fixtureHost(c.fx)
  try {
    await runModule(c.module, c.args, transport, { facts, vars: { inventory_hostname: 'node1', ...c.fx.vars }, check: c.fx.check, project: join(root, c.module) })
  } catch {
    // refused or failed: what it ran before that is still checked
  }
  return transport.calls
}

/** What went wrong with the value in one call, or undefined. */
function misuse(call: RecordedCall, value: string): string | undefined {
  if (call.kind === 'exec' && call.command?.includes(MARK)) {
    const why = valueAsData(call.command, value, MARK)
    if (why) return `${why}: ${call.command.slice(0, 300)}`
  }
  const stdin = (call.options as { stdin?: unknown } | undefined)?.stdin
  // psql's stdin (`p=...` finds psql) is left out: a value there is a quoted SQL literal or identifier,
  // which psql reads to its closing quote whatever lines it spans (check-mode-sql.test.ts runs them).
  if (typeof stdin === 'string' && new RegExp(`^${MARK}|^\\\\!.*${MARK}`, 'm').test(stdin) && !/^p=/.test(call.command ?? '')) return `stdin gained a line: ${JSON.stringify(stdin.slice(0, 200))}`
  if (call.kind === 'write' && call.content && new RegExp(`^\\s*${MARK}`, 'm').test(call.content)) return `${call.path} gained a line: ${JSON.stringify(call.content.slice(0, 200))}`
  if ((call.kind === 'write' || call.kind === 'put') && call.path?.split('/').includes('..')) return `a write left its directory: ${call.path}`
  return undefined
}

describe('hostile values given to every module stay data in the commands and files it makes', () => {
  it('has cases for the modules', () => {
    expect(new Set(cases.map((c) => c.module)).size).toBeGreaterThan(30)
  })

  it('a value that reaches a command, stdin or a file stays one quoted word, one line, inside its directory', async () => {
    const problems: string[] = []
    let reached = 0
    for (const c of cases) {
      const calls = await run(c)
      if (calls.some((call) => [call.command, call.content, call.path, (call.options as { stdin?: unknown } | undefined)?.stdin].some((t) => typeof t === 'string' && t.includes(MARK)))) reached++
      for (const call of calls) {
        const why = misuse(call, c.value)
        if (why) problems.push(`${c.module}/${c.fixture} ${c.param}=${JSON.stringify(c.value)}: ${why}`)
      }
    }
    expect(problems).toEqual([])
    // The values did reach commands and files: the check above looked at something.
    expect(reached).toBeGreaterThan(300)
  }, 300_000)
})

describe('a parameter that names a file in a directory cannot leave it', () => {
  const parse = (module: string, args: Record<string, unknown>) => getModule(module)!.params.safeParse(args)
  const repo = { description: 'R', baseurl: 'http://127.0.0.1/' }
  it.each([
    ['yum_repository name (the file name without file)', 'yum_repository', { name: '../../etc/cron.d/x', ...repo }, 'name'],
    ['yum_repository name ..', 'yum_repository', { name: '..', ...repo }, 'name'],
    ['yum_repository file', 'yum_repository', { name: 'r', file: '../x', ...repo }, 'file'],
    ['yum_repository file ..', 'yum_repository', { name: 'r', file: '..', ...repo }, 'file'],
    ['cron relative cron_file', 'cron', { name: 'j', job: 'true', user: 'root', cron_file: '../../etc/shadow' }, 'cron_file'],
    ['cron cron_file ..', 'cron', { name: 'j', job: 'true', user: 'root', cron_file: '..' }, 'cron_file'],
  ])('%s: refused, naming the parameter', (_label, module, args, param) => {
    const r = parse(module, args)
    expect(r.success).toBe(false)
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(param)
  })

  it.each([
    ['yum_repository name', 'yum_repository', { name: 'pgdg15', ...repo }],
    ['yum_repository name with a file elsewhere', 'yum_repository', { name: 'a/b', file: 'pgdg', ...repo }],
    ['cron relative cron_file', 'cron', { name: 'j', job: 'true', user: 'root', cron_file: 'pgha-backup' }],
    ['cron absolute cron_file', 'cron', { name: 'j', job: 'true', user: 'root', cron_file: '/etc/cron.d/pgha' }],
  ])('control: %s is accepted', (_label, module, args) => {
    expect(parse(module, args).success).toBe(true)
  })
})

describe('the check itself: a value used unsafely is seen', () => {
  it.each([
    ['an option before --', 'rm -rf -oPWNED', '-oPWNED'],
    ['sh syntax left unquoted', 'echo x;touch PWNED', 'x;touch PWNED'],
    ['a line break unquoted', 'echo x\nPWNED=1', 'x\nPWNED=1'],
    ['an expansion in double quotes', `echo "x'$(touch PWNED)'"`, "x'$(touch PWNED)'"],
    ['a glob unquoted', 'ls x y PWNED*', 'x y PWNED*'],
  ])('%s', (_label, command, value) => {
    expect(valueAsData(command, value, MARK)).toBeDefined()
  })

  it.each([
    ['an operand after --', 'rm -rf -- -oPWNED', '-oPWNED'],
    ["a flag's value", 'useradd -g -oPWNED -- u', '-oPWNED'],
    ['single-quoted sh syntax', `echo 'x;touch PWNED'`, 'x;touch PWNED'],
    ['a quoted quote', `echo 'x'\\''$(touch PWNED)'\\'''`, "x'$(touch PWNED)'"],
    ['a here-document body', "psql -f - <<'EOF'\nSELECT 'x;touch PWNED'\nEOF\n", 'x;touch PWNED'],
  ])('control: %s is data', (_label, command, value) => {
    expect(valueAsData(command, value, MARK)).toBeUndefined()
  })
})
