// The timelines a directory holds files of: a pgBackRest repository's WAL archive (its current archive id:
// `00000002.history`, and the WAL of timeline 2 in directories `0000000200000000`, ...) or a data
// directory's pg_wal (its `*.history` files). What a history file says (its parent timelines) comes with
// it, so the timelines the live primary descends from can also be read from the archive's copy.
import type { FactDef } from './types.js'
import { shq } from '../shell/index.js'

/** A timeline history file: its name and the timelines it lists as its ancestors. */
export interface HistoryFile {
  timeline: number
  name: string
  parents: number[]
}

/** A directory of one timeline's WAL segments in the repository (`0000000200000000`) and how many files it holds. */
export interface WalDir {
  timeline: number
  name: string
  files: number
}

export interface TimelineFiles {
  /** The directory read: `<repo>/archive/<stanza>/<archive id>` or `<data>/pg_wal`; '' when there is none. */
  dir: string
  histories: HistoryFile[]
  walDirs: WalDir[]
}

export interface ArchiveArgs {
  repo_path: string
  stanza: string
}

export interface PgWalArgs {
  data_directory: string
}

const trim = (p: string): string => p.replace(/\/$/, '')

/** Lists the history files (with their lines) and the WAL directories of `$d`, one per line. */
const LIST = `for e in "$d"/*; do n=\${e##*/}
  if [ -d "$e" ]; then case $n in [0-9A-F]*) echo "wal=$n $(ls -1 "$e" | wc -l)";; esac
  else case $n in *.history) echo "history=$n"; sed "s|^|line=$n |" "$e";; esac; fi
done`

/**
 * The repository's archive of the stanza, in its current archive id (the highest database id: after a
 * stanza-upgrade the older ids belong to the former major version and are not looked at).
 */
export const archiveTimelinesFact: FactDef<ArchiveArgs, TimelineFiles> = {
  name: 'pgbackrest_archive_timelines',
  // Every node's archive-push writes here: volatile, as a read of the cluster is.
  batch: 'joined',
  volatile: true,
  command: ({ repo_path, stanza }) => [
    `a=${shq(`${trim(repo_path)}/archive/${stanza}`)}`,
    `[ -d "$a" ] || { echo 'path='; exit 0; }`,
    `id=$(ls -1 "$a" | grep -E '^[0-9]+-[0-9]+$' | sort -t- -k2,2n | tail -n 1)`,
    `[ -n "$id" ] || { echo 'path='; exit 0; }`,
    `d="$a/$id"; echo "path=$d"`,
    LIST,
  ].join('\n'),
  parse: parseTimelineFiles,
}

/** The history files in a data directory's pg_wal (a standby restores the ones it probes there). */
export const pgWalTimelinesFact: FactDef<PgWalArgs, TimelineFiles> = {
  name: 'pg_wal_timelines',
  // The server writes here itself (a standby's restore_command fetching a history file): volatile.
  batch: 'joined',
  volatile: true,
  command: ({ data_directory }) => [`d=${shq(`${trim(data_directory)}/pg_wal`)}`, `[ -d "$d" ] || { echo 'path='; exit 0; }`, 'echo "path=$d"', LIST].join('\n'),
  parse: parseTimelineFiles,
}

const hexTimeline = (name: string): number => Number.parseInt(name.slice(0, 8), 16)

export function parseTimelineFiles(stdout: string): TimelineFiles {
  const lines = stdout.split('\n')
  const dir = lines.find((l) => l.startsWith('path='))?.slice('path='.length) ?? ''
  const histories: HistoryFile[] = []
  const walDirs: WalDir[] = []
  for (const l of lines) {
    const history = /^history=([0-9A-F]{8})\.history$/.exec(l)
    if (history) histories.push({ timeline: hexTimeline(history[1]), name: `${history[1]}.history`, parents: [] })
    const content = /^line=([0-9A-F]{8})\.history\s+(\d+)\s/.exec(l)
    if (content) histories.find((h) => h.name === `${content[1]}.history`)?.parents.push(Number(content[2]))
    const wal = /^wal=([0-9A-F]{16}) (\d+)$/.exec(l)
    if (wal) walDirs.push({ timeline: hexTimeline(wal[1]), name: wal[1], files: Number(wal[2]) })
  }
  return { dir, histories, walDirs }
}
