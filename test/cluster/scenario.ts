// One cluster state described once, observed both ways the project observes it: a stand-in psql that
// answers the pg_cluster fact's query as each node would (over "the network", by the host its conninfo
// names), and the rows `pgha status`'s probe would read on each node, parsed by its own parser.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { NodeObservation } from '../../src/cluster/index.js'
import { parseProbe } from '../../src/status/index.js'

export type NodeSpec =
  | { host: string; kind: 'primary'; timeline: number; witness?: boolean }
  | { host: string; kind: 'standby'; timeline: number; from: string | null; status?: string }
  | { host: string; kind: 'down'; error: string }

export const primary = (host: string, timeline: number): NodeSpec => ({ host, kind: 'primary', timeline })
export const witness = (host: string): NodeSpec => ({ host, kind: 'primary', timeline: 1, witness: true })
export const standby = (host: string, from: string | null, timeline: number, status = 'streaming'): NodeSpec => ({ host, kind: 'standby', timeline, from, status })
export const down = (host: string, error = 'Connection refused'): NodeSpec => ({ host, kind: 'down', error })

/** The pg_cluster module's parameters for these nodes: data nodes and witnesses apart. */
export function clusterParams(nodes: NodeSpec[], bindir: string): Record<string, unknown> {
  const isWitness = (n: NodeSpec): boolean => n.kind === 'primary' && !!n.witness
  return { nodes: nodes.filter((n) => !isWitness(n)).map((n) => n.host), witness: nodes.filter(isWitness).map((n) => n.host), bindir }
}

/** Writes a psql into `dir` that answers the fact's query for each node as that node would; returns `dir`. */
export function standInPsql(dir: string, nodes: NodeSpec[]): string {
  mkdirSync(dir, { recursive: true })
  for (const n of nodes) {
    if (n.kind === 'down') {
      writeFileSync(join(dir, `${n.host}.err`), `psql: error: ${n.error}\n`)
      continue
    }
    const lines = [`recovery=${n.kind === 'standby'}`, 'sysid=7301', `tli=${n.timeline}`]
    if (n.kind === 'standby' && n.from !== null) lines.push(`receiver=${n.status}|${n.from}|5432`)
    writeFileSync(join(dir, `${n.host}.out`), `${lines.join('\n')}\n`)
  }
  // The conninfo is psql's first argument: host=NAME port=... user=... dbname=...
  writeFileSync(
    join(dir, 'psql'),
    `#!/bin/sh
host=\${1#host=}; host=\${host%% *}
if [ -f "${dir}/$host.out" ]; then cat "${dir}/$host.out"; exit 0; fi
cat "${dir}/$host.err" >&2; exit 2
`,
  )
  chmodSync(join(dir, 'psql'), 0o755)
  return dir
}

/** What `pgha status` observes on each node: its probe's row through parseProbe, repmgr's records agreeing with the servers. */
export function statusObservations(nodes: NodeSpec[]): NodeObservation[] {
  const id = (host: string | null): number | null => (host === null ? null : nodes.findIndex((n) => n.host === host) + 1)
  const records = nodes.map((n) => ({
    node_id: id(n.host), node_name: n.host, active: true, location: 'default', conninfo_host: n.host,
    type: n.kind === 'down' ? 'standby' : n.kind === 'primary' && n.witness ? 'witness' : n.kind,
    upstream_node_id: n.kind === 'standby' ? id(n.from) : null,
  }))
  return nodes.map((n, i): NodeObservation => {
    const base: NodeObservation = {
      host: n.host, addresses: [n.host], witness: n.kind === 'primary' && !!n.witness, nodeId: i + 1, repmgrdExpected: true, ssh: true, repmgrd: true,
    }
    if (n.kind === 'down') return { ...base, error: n.error }
    const receiver = n.kind === 'standby' && n.from !== null ? JSON.stringify({ status: n.status, sender_host: n.from, sender_port: 5432 }) : ''
    const answer = parseProbe({
      in_recovery: n.kind === 'standby' ? 't' : 'f', timeline: String(n.timeline), receiver, replication: '[]',
      repmgr_nodes: JSON.stringify(records), repmgrd_running: 't',
    })
    return { ...base, pg: { ...answer.pg, route: 'stream' } }
  })
}
