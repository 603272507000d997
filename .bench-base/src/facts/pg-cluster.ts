// What every node of the cluster says about itself, asked over the network from one host with repmgr's
// conninfo (host=NAME user=repmgr dbname=repmgr): running or not, primary or standby, its timeline and what
// it streams from. One psql per node; a node that does not answer is reported with psql's error.
import type { FactDef } from './types.js'
import { shq } from './shell-quote.js'

export interface PgClusterArgs {
  nodes: string[]
  port: number
  user: string
  db: string
  bindir: string
}

export interface PgNodeState {
  name: string
  reachable: boolean
  /** psql's error when not reachable. */
  error?: string
  inRecovery?: boolean
  /**
   * The timeline it is on: a primary's from its current WAL file name; a standby's the newer of its last
   * restartpoint's and the one its WAL receiver gets.
   */
  timeline?: number
  /** The WAL receiver (standbys): its status and the host it streams from, as primary_conninfo names it. */
  receiverStatus?: string
  upstream?: string
  systemId?: string
}

const SQL = [
  "SELECT 'recovery=' || pg_is_in_recovery()",
  "SELECT 'sysid=' || system_identifier FROM pg_control_system()",
  "SELECT 'tli=' || CASE WHEN pg_is_in_recovery() THEN greatest((SELECT timeline_id FROM pg_control_checkpoint()), (SELECT received_tli FROM pg_stat_wal_receiver)) ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END",
  "SELECT 'receiver=' || status || '|' || coalesce(sender_host, '') FROM pg_stat_wal_receiver",
].join(' UNION ALL ')

export const pgClusterFact: FactDef<PgClusterArgs, PgNodeState[]> = {
  name: 'pg_cluster',
  command: ({ nodes, port, user, db, bindir }) => {
    const psql = shq(`${bindir.replace(/\/$/, '')}/psql`)
    return nodes
      .map((n, i) => {
        const conninfo = `host=${n} port=${port} user=${user} dbname=${db} connect_timeout=2`
        // Each output line is tagged with the node's position, so names need no escaping.
        return `${psql} ${shq(conninfo)} -XAtq -c ${shq(SQL)} 2>&1 | sed 's/^/${i}:/'`
      })
      .join('\n')
  },
  parse(stdout, { nodes }) {
    const lines = stdout.split('\n')
    return nodes.map((name, i) => {
      const mine = lines.filter((l) => l.startsWith(`${i}:`)).map((l) => l.slice(String(i).length + 1))
      const kv = new Map(mine.filter((l) => /^(recovery|sysid|tli|receiver)=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
      if (!kv.has('recovery')) {
        // psql run through sudo from root's home complains about the directory first: not the reason.
        const error = mine.filter((l) => l.trim() !== '' && !/^could not change directory to /.test(l)).join('\n').replace(/^psql: error: /, '').trim()
        return { name, reachable: false, error: error || 'no answer' }
      }
      const [status, host] = (kv.get('receiver') ?? '').split('|')
      const tli = Number(kv.get('tli'))
      return {
        name,
        reachable: true,
        inRecovery: kv.get('recovery') === 'true',
        timeline: Number.isInteger(tli) && tli > 0 ? tli : undefined,
        receiverStatus: status || undefined,
        upstream: host || undefined,
        systemId: kv.get('sysid'),
      }
    })
  },
}
