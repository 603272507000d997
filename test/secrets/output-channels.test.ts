// Secrets stay out of the output: the become password, password/token variables, a `secret_vars` entry and a no_log
// task's value never appear in anything pgha run prints, in every output mode and with -v, -vvv, --diff
// and --check; where a secret was, the output shows ********. The control runs the same playbook with
// the same values unmarked: each structured check then sees the value itself, so none can pass vacuously.
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { MASK } from '../../src/secrets/index.js'
import { pgha, pghaOnTty, type Captured } from './cli.js'
import { newSecrets, secretList, secretsProject, type Secrets, type SecretsProject } from './project.js'
import { channelChecks, type JsonDoc } from './channels.js'

const secrets: Secrets = newSecrets()
const projects: SecretsProject[] = []
let checks = 0

afterAll(() => {
  for (const p of projects) rmSync(p.dir, { recursive: true, force: true })
  console.log(`secret checks passed: ${checks}`)
})

/** One run on a fresh project (the diffs need the files' old contents each time). */
async function run(marked: boolean, mode: 'plain' | 'json' | 'tty', flags: string[]): Promise<Captured> {
  const p = secretsProject(secrets, marked)
  projects.push(p)
  const args = ['run', p.playbook, '-i', p.inventory, '-o', mode, ...flags]
  return mode === 'tty' ? pghaOnTty(args, p.dir) : pgha(args, p.dir)
}

function expectNoSecret(r: Captured): void {
  for (const [name, value] of secretList(secrets)) {
    for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      expect(text.includes(value), `${name} secret in ${stream}`).toBe(false)
      checks++
    }
  }
}

const FLAG_SETS = [['--diff'], ['-v'], ['-vvv', '--diff'], ['--check', '--diff']]

describe.each(['plain', 'json', 'tty'] as const)('--output %s', (mode) => {
  it.each(FLAG_SETS.map((f) => [f.join(' '), f]))('with %s: no secret anywhere, ******** where one was', async (_label, flags) => {
    const r = await run(true, mode, flags as string[])
    // The last task is a template error: the run ends with a failed host, having gone through every channel.
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expectNoSecret(r)
    expect(r.stdout).toContain(MASK)
    if (mode === 'tty') expect(r.stdout).toMatch(/✔.*TASK \[stdout and stderr\]/) // listr2 drew its tasks
    if (mode === 'plain') expect(r.stdout).toContain("filter 'mandatory': no host '******** ******** ******** ********' in the inventory")
  }, 30_000)
})

describe.each([true, false])('every channel, structured (JSON), secrets marked: %s', (marked) => {
  it('each channel holds ******** when marked and the value itself in the control', async () => {
    const r = await run(marked, 'json', ['--diff', '-vvv'])
    expect(r.code).toBe(2)
    const doc = JSON.parse(r.stdout) as JsonDoc
    for (const check of channelChecks(secrets, marked)) {
      expect(check.actual(doc), check.channel).toEqual(check.expected)
      checks += check.secrets
    }
    if (marked) expectNoSecret(r)
    else for (const [, value] of secretList(secrets)) expect(r.stdout).toContain(value)
  }, 30_000)
})

describe('the control shows every secret in every mode', () => {
  it.each(['plain', 'tty'] as const)('--output %s -vvv --diff', async (mode) => {
    const r = await run(false, mode, ['-vvv', '--diff'])
    for (const [name, value] of secretList(secrets)) expect(r.stdout.includes(value), `${name} shown`).toBe(true)
  }, 30_000)
})

describe('input errors', () => {
  it('an inventory line quoted under its error shows its password masked', async () => {
    const p = secretsProject(secrets, true)
    projects.push(p)
    const { writeFileSync } = await import('node:fs')
    const bad = `${p.dir}/bad.ini`
    writeFileSync(bad, `hostA ansible_connection=local db_password=${secrets.db} ansible_become_pass=${secrets.become} ansible_port=notaport\n`)
    const r = await pgha(['run', p.playbook, '-i', bad], p.dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ansible_port must be a port number')
    expect(r.stderr).toContain(`db_password=${MASK} ansible_become_pass=${MASK} ansible_port=notaport`)
    expectNoSecret(r)
    const e = await pgha(['run', p.playbook, '-i', p.inventory, '-e', `api_token=${secrets.token} {{`], p.dir)
    expect(e.code).toBe(1)
    expect(e.stderr).toContain(`api_token=${MASK} {{`)
    expectNoSecret(e)
  })

  // The README keeps the repmgr password in `~/.pgha/production-secrets.yml`: an error in that file names
  // its line, column and mistake like any other (the file's name is not a secret-named assignment).
  it('an error in a file named like a secret keeps its location and message, with the value masked', async () => {
    const p = secretsProject(secrets, true)
    projects.push(p)
    const { writeFileSync } = await import('node:fs')
    writeFileSync(`${p.dir}/production-secrets.yml`, `repmgr_password: "${secrets.db}\n`)
    const r = await pgha(['run', p.playbook, '-i', p.inventory, '-e', '@production-secrets.yml'], p.dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('production-secrets.yml:1:18: YAML syntax error: this double quote is never closed')
    expect(r.stderr).toContain(`1 | repmgr_password: ${MASK}`)
    expectNoSecret(r)
  })
})
