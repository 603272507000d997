// The one-line apt sources of a host: /etc/apt/sources.list and /etc/apt/sources.list.d/*.list, each
// file's text as apt_repository reads them.
import type { FactDef } from './types.js'

export interface AptSourceFile {
  path: string
  text: string
}

const MARK = '@@pgha-file '

export const aptSourcesFact: FactDef<Record<string, never>, AptSourceFile[]> = {
  name: 'apt_sources',
  batch: 'joined',
  anyUser: true,
  // Each line is prefixed with '|' so no line of a file can pass for a marker; the marker says whether
  // the file ends with a line break.
  command: () =>
    `for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$f" ] || continue; ` +
    `e=$(tail -c1 "$f" | wc -l); printf '${MARK}%s %s\\n' "$e" "$f"; sed 's/^/|/' "$f"; [ "$e" = 1 ] || echo; done`,
  parse(stdout) {
    const files: AptSourceFile[] = []
    let current: { path: string; lines: string[]; eol: boolean } | undefined
    const flush = (): void => {
      if (current) files.push({ path: current.path, text: current.lines.join('\n') + (current.eol && current.lines.length > 0 ? '\n' : '') })
    }
    for (const line of stdout.split('\n')) {
      if (line.startsWith(MARK)) {
        flush()
        const rest = line.slice(MARK.length)
        current = { path: rest.slice(rest.indexOf(' ') + 1), lines: [], eol: rest.startsWith('1') }
      } else if (current && line.startsWith('|')) current.lines.push(line.slice(1))
    }
    flush()
    return files
  },
}
