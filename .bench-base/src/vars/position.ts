// Maps a position inside a string value (a template, a `when` expression) to file:line:col in the file the
// string came from. The value's location points at the YAML scalar, which may start with a quote or a
// block indicator, so the string's own text is looked up on the source line to find where it really begins.
import { sourceLine, type SourceLocation } from '../errors.js'

/**
 * `line` and `col` are 1-based inside `text`. Returns the location in the source file, or `loc` itself
 * when the text cannot be found there (the caret then points at the start of the value).
 */
export function locateInText(loc: SourceLocation, text: string, line: number, col: number): SourceLocation {
  const lines = text.split('\n')
  const wanted = lines[line - 1] ?? ''
  if (line <= 1) {
    const src = sourceLine(loc)
    const from = Math.max(0, loc.col - 1)
    const idx = src === undefined || wanted === '' ? -1 : src.indexOf(wanted, from)
    if (idx >= 0) return { file: loc.file, line: loc.line, col: idx + col }
    return { file: loc.file, line: loc.line, col: loc.col + col - 1 }
  }
  // Later lines of a multi-line value: a block scalar's content starts on the line after its indicator,
  // a folded plain/quoted scalar's on the same line, so both candidates are tried.
  for (const candidate of [loc.line + line - 1, loc.line + line]) {
    const src = sourceLine({ file: loc.file, line: candidate, col: 1 })
    const idx = src === undefined || wanted.trim() === '' ? -1 : src.indexOf(wanted.trimStart())
    if (idx >= 0) {
      const indent = wanted.length - wanted.trimStart().length
      return { file: loc.file, line: candidate, col: idx + Math.max(1, col - indent) }
    }
  }
  return loc
}

/** Prefix for messages whose source is only a label (`variable 'x'`, a template path without position). */
export function describeSource(source: string | SourceLocation | undefined): string {
  if (source === undefined) return ''
  return typeof source === 'string' ? `${source}: ` : ''
}
