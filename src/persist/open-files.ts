// The soft limit on open files (ulimit -n), which a server inherits from the client that started it: a run
// of 1,000 hosts needs a raised one, so a server under a lower limit than the client's declines the run.
import { readFileSync } from 'node:fs'

/** This process's soft limit on open files, from /proc/self/limits; a large number when unlimited or unknown. */
export function openFilesLimit(limits?: string): number {
  let text = limits
  try {
    text ??= readFileSync('/proc/self/limits', 'latin1')
  } catch {
    return UNLIMITED
  }
  const m = /^Max open files\s+(\S+)/m.exec(text)
  return m && /^\d+$/.test(m[1]) ? Number(m[1]) : UNLIMITED
}

/** Stands for "unlimited" in JSON, which has no Infinity. */
const UNLIMITED = Number.MAX_SAFE_INTEGER
