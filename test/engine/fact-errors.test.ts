// A fact that cannot be read (its command fails, or prints what its parser does not know) fails the task
// that needed it on that host like any failed task: exit code 2, the other hosts carry on, and the message
// names the fact, the host and what the command said, with no "internal error" and no stack trace.
import { describe, expect, it } from 'vitest'
import { createReporter } from '../../src/output/index.js'
import { FakeTransport, type ConnectionSpec, type Transport } from '../../src/transport/index.js'
import { memoryStream } from '../output/fixture.js'
import { project, type Run } from './harness.js'

const inventory = '[db]\ndb1\ndb2\n'

/** db1's stat fails as it does on a path the login user may not see; on db2 every path is absent. */
function hosts(spec: ConnectionSpec): Transport {
  const t = new FakeTransport(spec.host)
  if (spec.host === 'db1') t.respond(/stat/, { rc: 2, stdout: '', stderr: "stat: cannot statx '/srv/app': Permission denied\n" })
  else t.respond(/stat/, { stdout: 'f.stat=absent\n' })
  return t
}

/** Runs site.yml on the fake hosts with the plain reporter, as `pgha run` prints it when not on a terminal. */
async function runPrinted(site: string): Promise<{ run: Run; out: string }> {
  const p = project(inventory, { 'site.yml': site })
  const out = memoryStream()
  const err = memoryStream()
  const reporter = await createReporter('plain', { verbosity: 0, diff: false, check: false, color: false, scrub: (s) => s, stream: out.stream, errStream: err.stream })
  const run = await p.run({ openTransport: hosts, onEvent: (e) => reporter.onEvent(e) })
  await reporter.finish()
  return { run, out: out.text() + err.text() }
}

describe('a fact that cannot be read', () => {
  it('fails the task on that host with which fact, which host and what the command said; exit 2, no stack trace', async () => {
    const { run, out } = await runPrinted(`
- hosts: db
  gather_facts: false
  tasks:
    - name: app dir
      file: { path: /srv/app, state: directory }
    - name: after
      command: "true"
`)
    const msg = "cannot read the file fact on db1: cannot stat /srv/app: no output (the command exited 2: stat: cannot statx '/srv/app': Permission denied)"
    expect(run.exitCode).toBe(2)
    expect(run.results('app dir').db1.status).toBe('failed')
    expect(run.results('app dir').db1.result.msg).toBe(msg)
    expect(run.results('app dir').db2.status).toBe('changed')
    expect(Object.keys(run.results('after'))).toEqual(['db2'])
    expect(run.recap.db1).toMatchObject({ failed: 1, ok: 0 })
    expect(out).toContain(`fatal: [db1]: FAILED! => ${msg}`)
    expect(out).not.toMatch(/internal error/i)
    expect(out).not.toMatch(/^\s+at /m)
  })

  it('a failed fact in --check fails the task the same way', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db1
  gather_facts: false
  tasks:
    - name: line
      lineinfile: { path: /srv/app.conf, line: "x", create: true }
`,
    })
    const run = await p.run({ openTransport: hosts, check: true })
    expect(run.exitCode).toBe(2)
    expect(run.results('line').db1.result.msg).toMatch(/^cannot read the file fact on db1: cannot stat \/srv\/app\.conf: no output \(the command exited 2: stat: /)
  })
})
