// Python packages as pip sees them: what is installed (`pip list --format=json`, one read for all names)
// and, for state=latest, what the package index would upgrade (`pip list --outdated`).
import type { FactDef } from './types.js'

/** How to run pip (pgha's own sh text, values already quoted) and where: `python3 -m pip`, a venv's python. */
export interface PipArgs {
  pip: string
  chdir?: string
}

/** Installed distributions by normalised name (PEP 503) -> version; null when pip cannot run there. */
export type PipPackages = Record<string, string> | null

/** PEP 503: names compare lowercased with runs of -, _ and . as one -. */
export const normalizePipName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-')

const inDir = (a: PipArgs, command: string): string => (a.chdir ? `cd ${a.chdir} && ${command}` : command)

function parseList(stdout: string, rc: number, key: 'version' | 'latest_version'): PipPackages {
  if (rc !== 0) return null
  const json = stdout.split('\n').find((l) => l.trim().startsWith('['))
  if (json === undefined) return null
  const out: Record<string, string> = {}
  for (const p of JSON.parse(json) as Record<string, string>[]) if (p.name && p[key]) out[normalizePipName(p.name)] = p[key]
  return out
}

export const pipListFact: FactDef<PipArgs, PipPackages> = {
  name: 'pip_list',
  command: (a) => inDir(a, `${a.pip} list --format=json --disable-pip-version-check --no-input 2>/dev/null`),
  parse: (stdout, _a, rc) => parseList(stdout, rc, 'version'),
}

export const pipOutdatedFact: FactDef<PipArgs, PipPackages> = {
  name: 'pip_outdated',
  command: (a) => inDir(a, `${a.pip} list --outdated --format=json --disable-pip-version-check --no-input`),
  parse: (stdout, _a, rc) => parseList(stdout, rc, 'latest_version'),
}
