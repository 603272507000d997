// What is mounted at a path, as findmnt reads the kernel's mount table: the mount module plans from it.
import { shq } from '../shell/index.js'
import type { FactDef } from './types.js'

/** The mount at a path; null when nothing is mounted there. */
export interface MountInfo {
  source: string
  fstype: string
  options: string
}

/** findmnt -r escapes white space and backslashes as \xNN; the fields come back as written. */
const unescape = (v: string): string => v.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))

export const mountFact: FactDef<{ path: string }, MountInfo | null> = {
  name: 'mount',
  batch: 'joined',
  anyUser: true,
  // The path is absolute (the module's schema says so): findmnt cannot read it as an option.
  command: ({ path }) => `LC_ALL=C findmnt -rn -o SOURCE,FSTYPE,OPTIONS --mountpoint ${shq(path)}`,
  parse(stdout, _args, rc) {
    const line = stdout.split('\n').find((l) => l.trim() !== '')
    if (rc !== 0 || line === undefined) return null
    const [source = '', fstype = '', options = ''] = line.split(' ').map(unescape)
    return { source, fstype, options }
  },
}
