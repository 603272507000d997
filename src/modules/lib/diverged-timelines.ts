// Which timelines a directory holds that the live primary never had. A node promoted while cut off (split
// brain) archives its new timeline into the repository every node shares; when the other node is kept, a
// standby of it that follows the newest timeline (recovery_target_timeline=latest) finds that history file
// through restore_command and PostgreSQL refuses to start ("requested timeline N is not a child of this
// server's history"). Such a timeline is diverged when it is neither the primary's timeline nor one of its
// ancestors. A later promotion of the kept lineage takes a number past every history file it finds, so a
// diverged timeline may be older than the primary's too: only the ancestry decides, never the number.
import type { HistoryFile, TimelineFiles } from '../../facts/index.js'

/** The live primary's timeline and the timelines it descends from (its history file's lines). */
export interface Lineage {
  timeline: number
  ancestors: number[]
}

/** One diverged timeline in a directory: its history file (when there) and its WAL directories. */
export interface DivergedTimeline {
  timeline: number
  history?: string
  walDirs: string[]
  segments: number
}

export type DivergedPlan =
  /** Nothing the primary never had; `keep` is the lineage as both sources gave it. */
  | { action: 'none'; why: string; keep: number[] }
  | { action: 'move'; timelines: DivergedTimeline[]; why: string; keep: number[] }
  /** The primary's ancestry cannot be told, so nothing may be moved. */
  | { action: 'refuse'; why: string }

const hex = (tl: number): string => tl.toString(16).toUpperCase().padStart(8, '0')

/** The history file name of a timeline (`00000002.history`). */
export const historyName = (tl: number): string => `${hex(tl)}.history`

/**
 * The primary's lineage, with the ancestors the directory's own copy of the primary's history file lists:
 * the archive keeps that file even when the primary's pg_wal lost it.
 */
function keptTimelines(lineage: Lineage, histories: HistoryFile[]): number[] {
  const own = histories.find((h) => h.timeline === lineage.timeline)
  return [...new Set([lineage.timeline, ...lineage.ancestors, ...(own?.parents ?? [])])].sort((a, b) => a - b)
}

/** The timelines present in `files` that are not in the primary's lineage, each with its files. */
export function divergedTimelines(files: TimelineFiles, lineage: Lineage, primary: string): DivergedPlan {
  const keep = keptTimelines(lineage, files.histories)
  const present = new Set([...files.histories.map((h) => h.timeline), ...files.walDirs.map((w) => w.timeline)])
  const diverged = [...present].filter((tl) => !keep.includes(tl)).sort((a, b) => a - b)
  const lineageText = `${primary}'s timeline ${lineage.timeline}${keep.length > 1 ? ` (descending from ${keep.filter((t) => t !== lineage.timeline).join(', ')})` : ''}`
  if (diverged.length === 0) return { action: 'none', why: `${files.dir || 'the directory'} holds no timeline outside ${lineageText}`, keep }
  // Timeline 1 begins every cluster: a primary past it that names no ancestor has lost its history file,
  // and then an ancestor could not be told from a diverged timeline.
  if (lineage.timeline > 1 && keep.length === 1) {
    return { action: 'refuse', why: `cannot tell which timelines ${primary} descends from: its timeline ${lineage.timeline} has no history file (${historyName(lineage.timeline)}) in its pg_wal nor in ${files.dir}; ${diverged.length === 1 ? 'timeline' : 'timelines'} ${diverged.join(', ')} left in place` }
  }
  const timelines = diverged.map((tl): DivergedTimeline => {
    const dirs = files.walDirs.filter((w) => w.timeline === tl)
    const history = files.histories.find((h) => h.timeline === tl)?.name
    return { timeline: tl, ...(history ? { history } : {}), walDirs: dirs.map((w) => w.name), segments: dirs.reduce((n, w) => n + w.files, 0) }
  })
  const list = timelines.map(describeTimeline).join('; ')
  return { action: 'move', timelines, keep, why: `${files.dir} holds ${timelines.length === 1 ? 'a timeline' : 'timelines'} ${primary} never had (not in ${lineageText}): ${list}` }
}

/** `timeline 2 (00000002.history, 3 WAL files in 0000000200000000)`. */
export function describeTimeline(t: DivergedTimeline): string {
  const parts = [t.history, t.walDirs.length > 0 ? `${t.segments} WAL file${t.segments === 1 ? '' : 's'} in ${t.walDirs.join(', ')}` : undefined].filter(Boolean)
  return `timeline ${t.timeline} (${parts.join(', ')})`
}
