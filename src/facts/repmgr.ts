// repmgr registration state in one command: this node's id from repmgr.conf, and repmgr.nodes as read
// through a conninfo (the node's own from repmgr.conf, or the primary's). A missing repmgr schema means
// nothing is registered yet (primary register installs it).
import type { FactDef } from './types.js'
import { shq } from '../shell/index.js'

export interface RepmgrArgs {
  config: string
  bindir: string
  /** Where to read repmgr.nodes; absent: the conninfo in repmgr.conf. */
  conninfo?: string
}

export interface RepmgrNode {
  id: number
  type: string
  active: boolean
  name: string
}

export interface RepmgrInfo {
  /** node_id from repmgr.conf; undefined when the file or the setting is missing. */
  nodeId?: number
  nodeName?: string
  /** Read repmgr.nodes (or found no repmgr schema, so no nodes). */
  readable: boolean
  error?: string
  nodes: RepmgrNode[]
}

const SQL = 'SELECT node_id, type, active, node_name FROM repmgr.nodes ORDER BY node_id'

/**
 * repmgr.conf's settings named in `k` (comma-separated), each from its first `key = value` line: node_id's
 * digits, any other without its single quotes. One awk for them all: a sed, head and tr or sed per
 * setting cost a process each, ~1 ms apiece on the host. `bare`: the value alone (one setting).
 */
const CONF_AWK = shq(`BEGIN { n = split(k, keys, ",") }
{ for (i = 1; i <= n; i++) if (!(keys[i] in got) && match($0, "^[[:space:]]*" keys[i] "[[:space:]]*=[[:space:]]*")) got[keys[i]] = substr($0, RLENGTH + 1) }
END {
  for (i = 1; i <= n; i++) {
    v = got[keys[i]]
    if (keys[i] == "node_id") gsub(/[^0-9]/, "", v)
    else if (v ~ /^'.*'[[:space:]]*$/) { sub(/^'/, "", v); sub(/'[[:space:]]*$/, "", v) }
    print (bare ? "" : keys[i] "=") v
  }
}`)

export const repmgrNodesFact: FactDef<RepmgrArgs, RepmgrInfo> = {
  name: 'repmgr_nodes',
  batch: 'joined',
  command: ({ config, bindir, conninfo }) =>
    [
      `c=${shq(config)}`,
      `if [ ! -r "$c" ]; then echo "conf=unreadable"; exit 0; fi`,
      `awk -v k=node_id,node_name ${CONF_AWK} "$c"`,
      // The conninfo (which may hold a password) only into a variable, never printed.
      conninfo ? `ci=${shq(conninfo)}` : `ci=$(awk -v k=conninfo -v bare=1 ${CONF_AWK} "$c")`,
      `out=$(${shq(`${bindir.replace(/\/$/, '')}/psql`)} -d "$ci" -XAtqw -F '|' -c ${shq(SQL)} 2>&1); r=$?`,
      // psql's output after the rc line, as it is.
      `echo "rc=$r"; printf '%s\\n' "$out"`,
    ].join('\n'),
  parse(stdout, args) {
    const lines = stdout.split('\n')
    if (lines.includes('conf=unreadable')) return { readable: false, error: `cannot read ${args.config}`, nodes: [] }
    const id = lines.find((l) => l.startsWith('node_id='))?.slice(8)
    const nodeId = id ? Number(id) : undefined
    const nodeName = lines.find((l) => l.startsWith('node_name='))?.slice(10) || undefined
    const rcAt = lines.findIndex((l) => l.startsWith('rc='))
    const out = rcAt < 0 ? [] : lines.slice(rcAt + 1)
    if (rcAt < 0 || lines[rcAt] !== 'rc=0') {
      const error = out.join('\n').replace(/^psql: error: /, '').trim()
      // Before primary register there is no repmgr schema: nothing registered, not a failure.
      if (/(relation "repmgr\.nodes"|schema "repmgr") does not exist/.test(error)) return { nodeId, nodeName, readable: true, nodes: [] }
      return { nodeId, nodeName, readable: false, error: error || 'no answer', nodes: [] }
    }
    const nodes = out
      .filter((l) => /^\d+\|/.test(l))
      .map((l) => {
        const [nid, type, active, ...name] = l.split('|')
        return { id: Number(nid), type, active: active === 't', name: name.join('|') }
      })
    return { nodeId, nodeName, readable: true, nodes }
  },
}

/** The repmgr installed in a bin directory, as `repmgr --version` says it. */
export interface RepmgrVersion {
  /** The version (5.3.3); '' when no repmgr runs there. */
  version: string
  /** What `repmgr --version` printed, and its exit code. */
  stdout: string
  rc: number
}

export const repmgrVersionFact: FactDef<{ bindir: string }, RepmgrVersion> = {
  name: 'repmgr_version',
  batch: 'joined',
  command: ({ bindir }) => `${shq(`${bindir.replace(/\/$/, '')}/repmgr`)} --version 2>&1`,
  parse(stdout, _args, rc) {
    const version = rc === 0 ? (/^repmgr (\S+)/m.exec(stdout)?.[1] ?? '') : ''
    return { version, stdout: stdout.trim(), rc }
  },
}
