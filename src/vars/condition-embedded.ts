// `{{ }}` inside a condition (`when: "{{ x }} == 1"`, `when: "'{{ s }}' in names"`). Ansible renders such a
// condition to text and evaluates the text (with a warning), so a variable's value becomes part of the
// code: a host's output could add a call, an operator or a lookup. pgha reads the expression the author
// meant instead, with every value kept a value:
// - inside a quoted string, the value's text (as Ansible prints it: None as nothing) is joined to the
//   string's (`'{{ s }}'` is `('' ~ s ~ '')`), whatever quotes or backslashes it holds;
// - elsewhere the value must read back as a Python literal, as Ansible would read it (a number, True,
//   None, a list or dict of them), and a string that is not one is refused at run time
//   (filters/condition-values.ts), where Ansible would evaluate it.
// For every value that is not code the result is Ansible's.
import { CONDITION_TEXT_FILTER, CONDITION_VALUE_FILTER } from './jinja/filters/condition-values.js'

/**
 * The condition as an expression without `{{ }}`; undefined when it holds `{% %}` or `{# #}`, an
 * unclosed `{{` or string, or a `{{` inside a `{{ }}`.
 */
export function embeddedAsExpression(text: string): string | undefined {
  let out = ''
  /** The quote of the string literal being read, where it began in `out`, and whether a value joined it. */
  let quote: string | undefined
  let openedAt = 0
  let joined = false
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('{{', i)) {
      const close = text.indexOf('}}', i + 2)
      const inner = close < 0 ? '' : text.slice(i + 2, close)
      if (close < 0 || inner.includes('{{') || inner.trim() === '') return undefined
      if (quote !== undefined) {
        out += `${quote} ~ ((${inner}) | ${CONDITION_TEXT_FILTER}) ~ ${quote}`
        joined = true
      } else {
        out += `((${inner}) | ${CONDITION_VALUE_FILTER})`
      }
      i = close + 2
      continue
    }
    if (text.startsWith('{%', i) || text.startsWith('{#', i)) return undefined
    const ch = text[i]
    if (quote !== undefined && ch === '\\') {
      out += text.slice(i, i + 2)
      i += 2
      continue
    }
    out += ch
    i++
    if (quote === undefined && (ch === "'" || ch === '"')) {
      quote = ch
      openedAt = out.length - 1
      joined = false
    } else if (ch === quote) {
      // a string a value joined is now an expression: parenthesised, it stays one operand (`| upper`, `in`)
      if (joined) out = `${out.slice(0, openedAt)}(${out.slice(openedAt)})`
      quote = undefined
    }
  }
  return quote === undefined ? out : undefined
}
