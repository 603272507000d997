// A small model of a terminal screen: replays what a program wrote to a pty (text, CR/LF, the cursor
// movements and erasures listr2's log-update uses) on a grid `columns` wide, wrapping at the right edge as
// a terminal does, and returns the rows left on it. Rows are unlimited: the scrollback counts as screen.
const ESC = '\u001b'

export function replayScreen(output: string, columns: number): string[] {
  const rows: string[][] = [[]]
  let row = 0
  let col = 0
  const line = (): string[] => (rows[row] ??= [])
  const clampCol = (): void => { col = Math.min(col, columns - 1) }
  for (let i = 0; i < output.length; i++) {
    const ch = output[i]!
    if (ch === ESC && output[i + 1] === '[') {
      const m = /^\[([?0-9;]*)([@-~])/.exec(output.slice(i + 1))
      if (!m) continue
      i += m[0].length
      const n = Number(m[1]!.split(';')[0] || '1')
      switch (m[2]) {
        case 'A': row = Math.max(0, row - n); clampCol(); break
        case 'B': row += n; clampCol(); break
        case 'C': col = Math.min(columns - 1, col + n); break
        case 'D': col = Math.max(0, Math.min(col, columns - 1) - n); break
        case 'G': col = Math.min(columns, n) - 1; break
        case 'K': {
          const mode = Number(m[1] || '0')
          const l = line()
          if (mode === 2) l.length = 0
          else if (mode === 1) l.fill(' ', 0, Math.min(col + 1, l.length))
          else l.length = Math.min(l.length, col)
          break
        }
        case 'J': if (Number(m[1] || '0') === 0) { line().length = Math.min(line().length, col); rows.length = row + 1 } break
        default: break // colours, cursor visibility
      }
    } else if (ch === ESC && output[i + 1] === ']') {
      const end = output.indexOf('\u0007', i)
      i = end < 0 ? output.length : end
    } else if (ch === '\r') {
      col = 0
    } else if (ch === '\n') {
      row += 1
      line()
    } else if (ch === '\b') {
      col = Math.max(0, Math.min(col, columns - 1) - 1)
    } else if (ch >= ' ' || ch === '\t') {
      // A character after the last column goes to the start of the next row (the terminal's auto-wrap).
      if (col >= columns) {
        row += 1
        col = 0
      }
      const l = line()
      while (l.length < col) l.push(' ')
      l[col] = ch === '\t' ? ' ' : ch
      col += 1
    }
  }
  return rows.map((r) => (r ?? []).join('').trimEnd())
}
