import { describe, expect, it } from 'vitest'
import { createReporter, type JsonDocument } from '../../src/output/index.js'
import { SECRET, events, options } from './fixture.js'

async function runJson(over: Parameters<typeof options>[0] = {}, list = events()) {
  const o = options(over)
  const r = await createReporter('json', o)
  for (const e of list) {
    r.onEvent(e)
    // Nothing reaches stdout before the end: the document is the only thing there.
    expect(o.out.text()).toBe('')
  }
  await r.finish()
  return { out: o.out.text(), err: o.err.text() }
}

describe('json reporter', () => {
  it('prints one document with every task result per host, the recap and the elapsed time', async () => {
    const { out, err } = await runJson()
    const doc = JSON.parse(out) as JsonDocument
    expect(doc.playbook).toBe('playbooks/site.yml')
    expect(doc.check).toBe(false)
    expect(doc.interrupted).toBe(false)
    expect(doc.elapsedMs).toBe(14_567)
    expect(doc.plays.map((p) => [p.name, p.tasks.map((t) => t.name)])).toEqual([
      ['Prepare hosts', ['install packages', 'write sudoers', 'check replication user', 'remove old backups']],
      ['Standby', ['clone standby', 'restart postgresql']],
    ])
    const [install, sudoers, check] = doc.plays[0].tasks
    expect(Object.keys(install.hosts)).toEqual(['node1', 'node2', 'witness1'])
    expect(install.hosts.node1).toMatchObject({ status: 'changed', durationMs: 1520, result: { changed: true, results: [{ item: 'flex', changed: true }, { item: 'pam-devel', changed: false }] } })
    expect(install.hosts.witness1).toMatchObject({ status: 'unreachable', result: { msg: 'connect to witness1 (10.0.0.13:22): connection refused' } })
    expect(sudoers.hosts.node1).toMatchObject({ changes: ['write /etc/sudoers.d/postgres'], result: { diff: [{ path: '/etc/sudoers.d/postgres' }] } })
    expect(check.hosts.node2).toMatchObject({ status: 'failed', result: { rc: 2 } })
    expect(doc.plays[1].tasks[1]).toMatchObject({ handler: true, hosts: { node1: { status: 'changed' } } })
    expect(doc.recap).toEqual({
      node1: { ok: 5, changed: 3, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 1 },
      node2: { ok: 2, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 },
      witness1: { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    })
    expect(err).toBe('[WARNING]: [node2] node2 failed; the play goes on without it\n')
  })

  it('masks secrets inside every string, even where JSON escaping would change them', async () => {
    const tricky = 'p"w\\d\n2'
    const list = events().map((e) =>
      e.type === 'host:result' && e.host === 'node1' && e.task === 'check replication user'
        ? { ...e, result: { ...e.result, stdout: `x ${tricky} y`, [SECRET]: SECRET } }
        : e,
    )
    const scrub = (s: string): string => s.split(SECRET).join('********').split(tricky).join('********')
    const { out, err } = await runJson({ scrub }, list)
    expect(out + err).not.toContain(SECRET)
    expect(out).not.toContain(JSON.stringify(tricky).slice(1, -1))
    const doc = JSON.parse(out) as JsonDocument
    expect(doc.plays[0].tasks[2].hosts.node1).toMatchObject({ result: { stdout: 'x ******** y', '********': '********' } })
    expect((doc.plays[0].tasks[2].hosts.node2 as { result: { stdout: string } }).result.stdout).toBe('trying password ********')
  })

  it('keeps the document valid JSON when a secret is a number in a result (a pin, a port given as a password)', async () => {
    const list = events().map((e) =>
      e.type === 'host:result' && e.host === 'node1' && e.task === 'check replication user' ? { ...e, result: { ...e.result, pin: 73519, port: 5432 } } : e,
    )
    const scrub = (s: string): string => s.split('73519').join('********')
    const { out } = await runJson({ scrub }, list)
    const doc = JSON.parse(out) as JsonDocument
    expect(doc.plays[0].tasks[2].hosts.node1).toMatchObject({ result: { pin: '********', port: 5432 } })
  })

  it('keeps the document valid JSON when a secret is spelled like a JSON word (a password "false" or "null")', async () => {
    const list = events().map((e) =>
      e.type === 'host:result' && e.host === 'node1' && e.task === 'check replication user' ? { ...e, result: { ...e.result, stdout: 'false', answer: null } } : e,
    )
    const scrub = (s: string): string => s.split('false').join('********').split('null').join('********')
    const { out } = await runJson({ scrub }, list)
    const doc = JSON.parse(out) as JsonDocument
    expect(doc.check).toBe(false)
    expect(doc.plays[0].tasks[2].hosts.node1).toMatchObject({ result: { stdout: '********', answer: null } })
  })

  it('keeps the document valid JSON when a secret is part of a longer number (a pin inside an elapsed time)', async () => {
    const list = events().map((e) =>
      e.type === 'host:result' && e.host === 'node1' && e.task === 'check replication user' ? { ...e, result: { ...e.result, big: 21010, small: 2101, other: 5432 } } : e,
    )
    const scrub = (s: string): string => s.split('2101').join('********')
    const { out } = await runJson({ scrub }, list)
    expect(out).not.toContain('2101')
    const doc = JSON.parse(out) as JsonDocument
    expect(doc.plays[0].tasks[2].hosts.node1).toMatchObject({ result: { big: '********0', small: '********', other: 5432 } })
  })

  it('keeps per-item results as an array when the engine reports a loop item by item', async () => {
    const { out } = await runJson({}, [
      { type: 'play:start', name: 'p', hosts: ['n1'] },
      { type: 'task:start', name: 'users', hosts: ['n1'] },
      { type: 'host:result', task: 'users', host: 'n1', status: 'changed', item: 'repmgr', durationMs: 3, result: { changed: true, failed: false } },
      { type: 'host:result', task: 'users', host: 'n1', status: 'ok', item: 'postgres', durationMs: 2, result: { changed: false, failed: false } },
      { type: 'task:end', name: 'users' },
    ])
    const doc = JSON.parse(out) as JsonDocument
    expect(doc.plays[0].tasks[0].hosts.n1).toEqual([
      { status: 'changed', item: 'repmgr', durationMs: 3, result: { changed: true, failed: false } },
      { status: 'ok', item: 'postgres', durationMs: 2, result: { changed: false, failed: false } },
    ])
  })
})
