// What every node of the cluster says about itself, asked over the network from one host with repmgr's
// conninfo (host=NAME user=repmgr dbname=repmgr): running or not, primary or standby, its timeline and what
// it streams from. One psql per node; a node that does not answer is observed with psql's error. This is
// one of the two ways of observing the cluster (the other is `pgha status`, over SSH): both give the
// cluster model's NodeObservation, judged by the same judge(). Roles change under a run (a switchover, a
// failover, a standby reconnecting): the fact is volatile, a value serves one plan, and what was read ahead
// is dropped when anything is applied on any host.
import { TIMELINE_SQL, type NodeObservation } from '../cluster/index.js'
import type { FactDef } from './types.js'
import { conninfo, shq } from '../shell/index.js'

export interface PgClusterArgs {
  nodes: string[]
  /** Those of `nodes` that are witnesses (their own primary instance is not a cluster primary). */
  witness?: string[]
  port: number
  user: string
  db: string
  bindir: string
}

const SQL = [
  "SELECT 'recovery=' || pg_is_in_recovery()",
  "SELECT 'sysid=' || system_identifier FROM pg_control_system()",
  `SELECT 'tli=' || ${TIMELINE_SQL.replace(/\s+/g, ' ')}`,
  "SELECT 'receiver=' || status || '|' || coalesce(sender_host, '') || '|' || coalesce(sender_port::text, '') FROM pg_stat_wal_receiver",
].join(' UNION ALL ')

export const pgClusterFact: FactDef<PgClusterArgs, NodeObservation[]> = {
  name: 'pg_cluster',
  volatile: true,
  batch: 'joined',
  command: ({ nodes, port, user, db, bindir }) => {
    const psql = shq(`${bindir.replace(/\/$/, '')}/psql`)
    // The nodes are asked at once, each answer in a file of its own, so asking costs the slowest node's
    // time rather than the sum; each output line is then tagged with the node's position, so names need
    // no escaping.
    const ask = nodes.map((n, i) => `${psql} ${shq(conninfo({ host: n, port, user, dbname: db, connect_timeout: 2 }))} -XAtqw -c ${shq(SQL)} >"$t/${i}" 2>&1 &`)
    const tag = nodes.map((_, i) => `sed 's/^/${i}:/' "$t/${i}"`)
    return ['t=$(mktemp -d) || exit 1', ...ask, 'wait', ...tag, 'rm -rf "$t"'].join('\n')
  },
  parse(stdout, { nodes, witness = [] }) {
    const lines = stdout.split('\n')
    return nodes.map((name, i): NodeObservation => {
      // Known by the name its conninfo uses; nothing here tells whether repmgrd runs.
      const node: NodeObservation = { host: name, addresses: [name], witness: witness.includes(name), repmgrdExpected: false, ssh: true }
      const mine = lines.filter((l) => l.startsWith(`${i}:`)).map((l) => l.slice(String(i).length + 1))
      const kv = new Map(mine.filter((l) => /^(recovery|sysid|tli|receiver)=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
      if (!kv.has('recovery')) {
        // psql run through sudo from root's home complains about the directory first: not the reason.
        const error = mine.filter((l) => l.trim() !== '' && !/^could not change directory to /.test(l)).join('\n').replace(/^psql: error: /, '').trim()
        return { ...node, error: error || 'no answer' }
      }
      const [status, host, port] = (kv.get('receiver') ?? '').split('|')
      const tli = Number(kv.get('tli'))
      return {
        ...node,
        pg: {
          inRecovery: kv.get('recovery') === 'true',
          timeline: Number.isInteger(tli) && tli > 0 ? tli : null,
          receiver: !status ? null : { status, senderHost: host || null, senderPort: port ? Number(port) : null },
          ...(kv.has('sysid') ? { systemId: kv.get('sysid') } : {}),
        },
      }
    })
  },
}
