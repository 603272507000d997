// Every psql a fact runs on a host is told never to prompt for a password (-w). Read-ahead runs these reads
// early, as the become user, in a session with a terminal: a read of the cluster before the run has put
// repmgr's password in ~/.pgpass made psql wait on that terminal for a password, and the run hung there.
import { describe, expect, it } from 'vitest'
import { pgClusterFact, pgDataDirFact, pgTimelineHistoryFact, pgUpstreamFact, repmgrNodesFact, type FactDef } from '../../src/facts/index.js'

const upstream = { host: 'node1', port: 5432, user: 'repmgr', db: 'repmgr', bindir: '/usr/lib/postgresql/15/bin' }
const COMMANDS: [string, string][] = [
  ['pg_cluster', (pgClusterFact as FactDef<unknown, unknown>).command({ nodes: ['node1', 'node2'], port: 5432, user: 'repmgr', db: 'repmgr', bindir: upstream.bindir })],
  ['pg_upstream', (pgUpstreamFact as FactDef<unknown, unknown>).command(upstream)],
  ['pg_timeline_history', (pgTimelineHistoryFact as FactDef<unknown, unknown>).command(upstream)],
  ['repmgr_nodes', (repmgrNodesFact as FactDef<unknown, unknown>).command({ config: '/etc/repmgr.conf', bindir: upstream.bindir })],
  ['pg_data_dir', (pgDataDirFact as FactDef<unknown, unknown>).command({ data_directory: '/home/postgres/data', bindir: upstream.bindir })],
]

describe('psql in facts', () => {
  it.each(COMMANDS)('%s: every psql run has -w', (_, command) => {
    const runs = command.split('\n').filter((l) => /\/psql['"]? /.test(l))
    expect(runs.length).toBeGreaterThan(0)
    for (const line of runs) expect(line).toMatch(/\/psql['"]? (?:\S+ )*-[A-Za-z]*w[A-Za-z]* /)
  })
})
