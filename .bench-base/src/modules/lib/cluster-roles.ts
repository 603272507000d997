// Who is the primary now, read from the nodes themselves (never from the inventory's `primary` group, which
// names the node installed as primary: a switchover or failover moves the role). Pure: every problem an
// operator must act on comes back as one plain sentence.
import type { PgNodeState } from '../../facts/index.js'

export interface ClusterView {
  /** The current primary: the only node running as primary, or in a split brain the one on the newest timeline; '' when none. */
  primary: string
  /** Data nodes running as primary (two or more: split brain). */
  primaries: string[]
  split_brain: boolean
  /** In a split brain: the primary on the strictly newest timeline ('' on a tie). */
  newer: string
  /** Standbys streaming from the current primary. */
  standbys: string[]
  /** Data nodes that do not answer. */
  down: string[]
  /** Every node by name: role (primary, standby, witness, down), timeline, upstream. */
  nodes: Record<string, { role: string; timeline: number | null; upstream: string | null; receiver: string | null; error: string | null }>
  /** One sentence per thing that is wrong; [] for a healthy cluster. */
  problems: string[]
  /** One line per node, for the output. */
  table: string[]
}

const rejoinHint = (node: string): string => `rejoin it as a standby with: pgha run playbooks/rejoin.yml -e node=${node}`

export function analyzeCluster(states: PgNodeState[], witnesses: string[] = []): ClusterView {
  const isWitness = (n: string): boolean => witnesses.includes(n)
  const data = states.filter((s) => !isWitness(s.name))
  const primaries = data.filter((s) => s.reachable && s.inRecovery === false)
  const problems: string[] = []
  let primary = primaries[0]?.name ?? ''
  let newer = ''
  if (primaries.length > 1) {
    const tl = (s: PgNodeState): number => s.timeline ?? 0
    const sorted = [...primaries].sort((a, b) => tl(b) - tl(a))
    const names = primaries.map((s) => `${s.name} (timeline ${s.timeline ?? '?'})`).join(' and ')
    if (tl(sorted[0]) > tl(sorted[1])) {
      newer = primary = sorted[0].name
      const older = sorted.slice(1).map((s) => s.name)
      problems.push(
        `split brain: ${names} all run as primary; ${newer} is on the newer timeline, so it is the current primary and holds the writes since the promotion; ` +
          `${older.join(', ')} ${older.length > 1 ? 'are' : 'is'} a former primary: ${older.map(rejoinHint).join('; ')}`,
      )
    } else {
      primary = ''
      problems.push(`split brain: ${names} all run as primary on the same timeline; pgha cannot tell which holds the writes: decide by hand which one stays, then rejoin the others`)
    }
  } else if (primaries.length === 0) {
    problems.push(`no node runs as primary (${data.map((s) => `${s.name}: ${describe(s)}`).join('; ')})`)
  }
  const down = data.filter((s) => !s.reachable).map((s) => s.name)
  for (const name of down) problems.push(`${name} does not answer: ${data.find((s) => s.name === name)?.error}`)
  const standbys: string[] = []
  for (const s of data.filter((x) => x.reachable && x.inRecovery)) {
    if (s.receiverStatus !== 'streaming') problems.push(`${s.name} is a standby that is not streaming (WAL receiver: ${s.receiverStatus ?? 'none'})`)
    else if (primary && s.upstream !== primary) problems.push(`${s.name} is a standby of ${s.upstream}, not of the current primary ${primary}`)
    else standbys.push(s.name)
  }
  for (const w of states.filter((s) => isWitness(s.name))) {
    if (!w.reachable) problems.push(`witness ${w.name} does not answer: ${w.error}`)
  }
  const nodes: ClusterView['nodes'] = {}
  for (const s of states) {
    const role = !s.reachable ? 'down' : isWitness(s.name) ? 'witness' : s.inRecovery ? 'standby' : 'primary'
    nodes[s.name] = { role, timeline: s.timeline ?? null, upstream: s.upstream ?? null, receiver: s.receiverStatus ?? null, error: s.error ?? null }
  }
  const table = states.map((s) => `${s.name}: ${isWitness(s.name) && s.reachable ? 'witness' : describe(s)}`)
  return { primary, primaries: primaries.map((s) => s.name), split_brain: primaries.length > 1, newer, standbys, down, nodes, problems, table }
}

function describe(s: PgNodeState): string {
  if (!s.reachable) return `down (${s.error})`
  const tl = `timeline ${s.timeline ?? '?'}`
  return s.inRecovery ? `standby, ${tl}, ${s.receiverStatus ?? 'not receiving'}${s.upstream ? ` from ${s.upstream}` : ''}` : `primary, ${tl}`
}
