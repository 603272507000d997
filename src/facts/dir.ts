// Facts about directory trees and archives: which entries under a directory differ from a wanted
// owner/group/mode (file state=directory recurse=yes), which paths are missing (unarchive), and an
// archive's listing on the host (unarchive remote_src).
import type { FactDef } from './types.js'
import { pathOperand, shq } from '../shell/index.js'

/** Entries past this many are counted, not listed. */
const LIST_MAX = 200

export interface TreeArgs {
  path: string
  owner?: string
  group?: string
  /** Octal mode such as '0755' that every file and directory (not symlink) should have. */
  mode?: string
}

export interface TreeInfo {
  /** Entries (the root included) whose owner, group or mode differ; at most LIST_MAX. */
  differing: string[]
  count: number
}

export const treeFact: FactDef<TreeArgs, TreeInfo> = {
  name: 'file_tree',
  batch: 'joined',
  command({ path, owner, group, mode }) {
    const tests = [owner && `! -user ${shq(owner)}`, group && `! -group ${shq(group)}`, mode && `! -perm ${mode}`].filter(Boolean)
    if (tests.length === 0) return 'echo count=0'
    // dash has no pipefail: a failing find says so in-band.
    return `{ find ${shq(pathOperand(path))} ! -type l \\( ${tests.join(' -o ')} \\) -print || echo '<find failed>'; } | awk '$0=="<find failed>"||NR<=${LIST_MAX}{print} END{print "count=" NR}'`
  },
  parse(stdout, { path }, rc) {
    if (rc !== 0) throw new Error(`cannot walk ${path}: ${stdout.trim() || `find exited ${rc}`}`)
    const lines = stdout.split('\n').filter((l) => l !== '')
    const countLine = lines.at(-1) ?? ''
    if (!countLine.startsWith('count=') || lines.includes('<find failed>')) throw new Error(`cannot walk ${path}: unexpected output`)
    return { differing: lines.filter((l) => l !== countLine), count: Number(countLine.slice(6)) }
  },
}

export interface MissingArgs {
  base: string
  paths: string[]
}

export interface MissingInfo {
  /** False when `base` is not an existing directory. */
  dirExists: boolean
  missing: string[]
}

/** Which of `paths` (relative to `base`) do not exist. */
export const missingFact: FactDef<MissingArgs, MissingInfo> = {
  name: 'missing_paths',
  batch: 'joined',
  command: ({ base, paths }) =>
    `cd -- ${shq(base)} 2>/dev/null || { echo '<nodir>'; exit 0; }; for f in ${paths.map(shq).join(' ')}; do [ -e "$f" ] || [ -L "$f" ] || echo "$f"; done`,
  parse: (stdout) =>
    stdout.startsWith('<nodir>') ? { dirExists: false, missing: [] } : { dirExists: true, missing: stdout.split('\n').filter((l) => l !== '') },
}

export interface ArchiveArgs {
  src: string
}

/** An archive's entry names as tar or unzip lists them on the host. */
export const archiveListFact: FactDef<ArchiveArgs, string[]> = {
  name: 'archive_list',
  batch: 'joined',
  command: ({ src }) => (/\.zip$/i.test(src) ? `unzip -Z1 ${shq(pathOperand(src))}` : `tar -tf ${shq(src)}`),
  parse(stdout, { src }, rc) {
    if (rc !== 0) throw new Error(`cannot list archive ${src} (exit ${rc})`)
    return stdout.split('\n').filter((l) => l !== '')
  },
}
