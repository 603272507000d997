// What `pgha status` prints: the aligned table with its warning lines, and the JSON document.
import { describe, expect, it } from 'vitest'
import { analyze, renderJson, renderText } from '../../src/status/index.js'
import { client, down, primary, standby } from './observations.js'

describe('status rendering', () => {
  it('prints one aligned row per node under the documented header, then the verdict', () => {
    const text = renderText(analyze([primary('node1', 1, { clients: [client('node2', 1536, 0.42)] }), standby('node2', 2)]))
    expect(text).toBe([
      'NODE   ROLE (repmgr)  ROLE (pg)  UPSTREAM  TIMELINE  REPLICATION  LAG BYTES  LAG S  REPMGRD',
      'node1  primary        primary    -         1         1 streaming  -          -      running',
      'node2  standby        standby    node1     1         streaming    1536       0.4    running',
      '',
      'healthy: one primary, every standby streaming from it, repmgr in agreement',
      '',
    ].join('\n'))
  })

  it('prints a down node as a row and each problem as a warning line instead of the verdict', () => {
    const text = renderText(analyze([{ ...primary('node1', 1), repmgrd: undefined }, down('node2', 2, 'server closed the connection')]))
    const lines = text.trimEnd().split('\n')
    expect(lines[2]).toMatch(/^node2\s+standby\s+down\s+-\s+-\s+-\s+-\s+-\s+not running$/)
    expect(lines[1]).toMatch(/\?$/)
    expect(lines.slice(4)).toEqual([
      expect.stringMatching(/^\[WARNING\]: PostgreSQL on node2 does not answer: server closed the connection; see why with: /),
      expect.stringMatching(/^\[WARNING\]: repmgrd is not running on node2 \(repmgrd_enabled is true\): no automatic failover from there; see why with: /),
    ])
    expect(text).not.toContain('healthy')
  })

  it('ends with the newest backup when the primary read the repository, also in the JSON document', () => {
    const read = { ...primary('node1', 1, { clients: [client('node2')] }), backupExpected: { stanza: 'pgha', maxAgeHours: 1e9 } }
    const withBackup = { ...read, backup: { info: { stanza: 'pgha', statusCode: 0, statusMessage: 'ok', last: { label: '20261206-104153F', type: 'full', stoppedAt: 1796553726 } } } }
    const report = analyze([withBackup, standby('node2', 2)])
    expect(renderText(report).trimEnd().split('\n').slice(-2)).toEqual([
      'healthy: one primary, every standby streaming from it, repmgr in agreement',
      'backups (pgBackRest stanza pgha, read on node1): newest full backup 20261206-104153F, finished 2026-12-06T10:42:06Z',
    ])
    expect(JSON.parse(renderJson(report)).backup).toEqual({ stanza: 'pgha', node: 'node1', newest: { label: '20261206-104153F', type: 'full', stoppedAt: 1796553726 } })
    // Unreadable, it is a warning of its own and no backup line.
    const unread = analyze([{ ...read, backup: { error: 'rc 124 (timed out): no output' } }, standby('node2', 2)])
    expect(renderText(unread)).not.toContain('backups (')
    expect(unread.problems.map((p) => p.kind)).toEqual(['backup-unreadable'])
  })

  it('--output json is one document with nodes, problems and healthy', () => {
    const report = analyze([primary('node1', 1), primary('node2', 2, { timeline: 2 })])
    const doc = JSON.parse(renderJson(report)) as { nodes: { node: string; pgRole: string; timeline: number }[]; problems: { kind: string }[]; healthy: boolean }
    expect(Object.keys(doc)).toEqual(['nodes', 'problems', 'healthy'])
    expect(doc.healthy).toBe(false)
    expect(doc.nodes.map((n) => [n.node, n.pgRole, n.timeline])).toEqual([['node1', 'primary', 1], ['node2', 'primary', 2]])
    expect(doc.problems.map((p) => p.kind)).toContain('split-brain')
  })
})
