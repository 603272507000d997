// The pgBackRest repository as `pgha status` reads it on a primary: `pgbackrest info --output=json` as
// postgres_user (whose SSH key reaches the repository host), bounded in time so a repository host that
// does not answer costs a warning, not a hung status. The parse is pure.
import { shq } from '../shell/index.js'
import type { BackupInfo } from '../cluster/index.js'

/** Seconds `pgbackrest info` may take before `timeout` stops it (an SSH hop to an unreachable host). */
export const PGBACKREST_INFO_TIMEOUT_S = 20

export function pgbackrestInfoCommand(bin: string, stanza: string): string {
  return `timeout ${PGBACKREST_INFO_TIMEOUT_S} ${shq(bin)} --stanza=${shq(stanza)} --output=json info`
}

interface InfoStanza {
  name?: unknown
  status?: { code?: unknown; message?: unknown }
  backup?: { label?: unknown; type?: unknown; timestamp?: { stop?: unknown } }[]
}

/** The stanza's status and newest backup; throws with what pgBackRest printed when it is not its JSON. */
export function parsePgbackrestInfo(stdout: string, stanza: string): BackupInfo {
  let doc: unknown
  try {
    doc = JSON.parse(stdout)
  } catch {
    throw new Error(`pgbackrest info printed no JSON: ${stdout.trim().slice(0, 200) || '(nothing)'}`)
  }
  const entry = Array.isArray(doc) ? (doc as InfoStanza[]).find((s) => s.name === stanza) : undefined
  if (!entry) throw new Error(`pgbackrest info does not list stanza ${stanza}`)
  let last: BackupInfo['last'] = null
  for (const b of entry.backup ?? []) {
    const stoppedAt = Number(b.timestamp?.stop)
    if (!Number.isFinite(stoppedAt) || (last && last.stoppedAt >= stoppedAt)) continue
    last = { label: String(b.label ?? ''), type: String(b.type ?? ''), stoppedAt }
  }
  return {
    stanza,
    statusCode: Number(entry.status?.code ?? -1),
    statusMessage: String(entry.status?.message ?? ''),
    last,
  }
}
