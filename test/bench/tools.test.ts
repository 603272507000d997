import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JS module without declarations (the bench runs with node, unbuilt)
import { parseAnsibleRecap, pghaFailures, taskDurations, total, ansibleInvocation } from '../../bench/lib/tools.js'
// @ts-expect-error plain JS module without declarations
import { parseCpuMs, parsePeakRss } from '../../bench/lib/measure.js'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ansibleOut = `PLAY [file workload] ****

TASK [file bench dir] ****
ok: [node1]

PLAY RECAP *********************************************************************
node1                      : ok=44   changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
node2                      : ok=43   changed=1    unreachable=0    failed=1    skipped=2    rescued=0    ignored=0
`

describe('reading the tools\' results', () => {
  it('reads ansible-playbook\'s PLAY RECAP per host', () => {
    const recap = parseAnsibleRecap(ansibleOut)
    expect(recap.node1).toEqual({ ok: 44, changed: 0, failed: 0, unreachable: 0, skipped: 0 })
    expect(total(recap, 'changed')).toBe(1)
    expect(total(recap, 'skipped')).toBe(2)
    expect(parseAnsibleRecap('ERROR! no playbook')).toEqual({})
  })

  it('collects engine-side durations of the file and lineinfile tasks only, loops included', () => {
    const doc = {
      recap: {}, elapsedMs: 0,
      plays: [{ name: 'p', tasks: [
        { name: 'file dir 01', hosts: { n1: { durationMs: 3 }, n2: { durationMs: 4 } } },
        { name: 'copy content 01', hosts: { n1: { durationMs: 50 } } },
        { name: 'lineinfile key01', hosts: { n1: [{ durationMs: 2 }, { durationMs: 6 }] } },
        { name: 'filesystem', hosts: { n1: { durationMs: 99 } } },
      ] }],
    }
    expect(taskDurations(doc, ['file', 'lineinfile']).sort()).toEqual([2, 3, 4, 6])
  })

  it('names what failed in a pgha run by task, host and message, and nothing for output that is not its document', () => {
    const doc = {
      recap: {}, elapsedMs: 0,
      plays: [{ name: 'p', tasks: [
        { name: 'file dir 01', hosts: { n1: { status: 'ok', result: {} }, n2: { status: 'unreachable', result: { msg: 'connection to n2 lost' } } } },
        { name: 'lineinfile key01', hosts: { n1: [{ status: 'ok', result: {} }, { status: 'failed', result: { msg: 'no such file' } }] } },
      ] }],
    }
    expect(pghaFailures(JSON.stringify(doc))).toEqual(['file dir 01 @ n2: connection to n2 lost', 'lineinfile key01 @ n1: no such file'])
    expect(pghaFailures('input error: site.yml:3:1')).toEqual([])
  })

  it('takes the peak RSS from /usr/bin/time even after an exit-status line', () => {
    expect(parsePeakRss('94584\n')).toBe(94584)
    expect(parsePeakRss('Command exited with non-zero status 2\n61000\n')).toBe(61000)
  })

  it('takes user + system CPU time from /usr/bin/time\'s line before the peak RSS, after an exit-status line too', () => {
    expect(parseCpuMs('0.27 0.04\n94584\n')).toBe(310)
    expect(parseCpuMs('Command exited with non-zero status 2\n1.20 0.15\n61000\n')).toBe(1350)
    expect(parseCpuMs('94584\n')).toBeNaN()
  })

  it('gives Ansible its speed settings through its environment and an empty config of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'))
    const inv = ansibleInvocation({ playbook: 'p.yml', inventory: 'i.yml', forks: 20, workDir: dir })
    expect(inv.args).toEqual(['-i', 'i.yml', '-f', '20', 'p.yml'])
    expect(inv.env.ANSIBLE_PIPELINING).toBe('True')
    expect(inv.env.ANSIBLE_SSH_ARGS).toContain('ControlPersist')
    expect(readFileSync(inv.env.ANSIBLE_CONFIG, 'utf8')).toBe('[defaults]\n')
  })
})
