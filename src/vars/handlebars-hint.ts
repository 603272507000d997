// Playbook strings used to be Handlebars in pgha. A string that fails to parse as Jinja2 and holds one of
// the former helpers or blocks gets its Jinja2 spelling in the error.

/** `{{join x ', '}}` and friends: the Handlebars helper call and its Jinja2 form. */
const HELPERS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^#if\s+\(?(.*?)\)?$/, (m) => `{% if ${condition(m[1])} %}`],
  [/^#unless\s+\(?(.*?)\)?$/, (m) => `{% if not (${condition(m[1])}) %}`],
  [/^else$/, () => '{% else %}'],
  [/^\/if$|^\/unless$/, () => '{% endif %}'],
  [/^#each\s+(\S+)(?:\s+as\s+\|(\w+)[^|]*\|)?$/, (m) => `{% for ${m[2] ?? 'item'} in ${path(m[1])} %}`],
  [/^\/each$/, () => '{% endfor %}'],
  [/^join\s+(\S+)\s+(['"].*['"])$/, (m) => `{{ ${path(m[1])} | join(${m[2]}) }}`],
  [/^join\s+(\S+)$/, (m) => `{{ ${path(m[1])} | join(',') }}`],
  [/^default\s+(\S+)\s+(.+)$/, (m) => `{{ ${path(m[1])} | default(${m[2]}) }}`],
  [/^(first|last|quote|conf_quote|conf_value|hba_field|hosts_field|sudoers_word|unit_value|unit_word|unit_env)\s+(\S+)$/, (m) => `{{ ${path(m[2])} | ${m[1]} }}`],
  [/^items\s+(\S+)$/, (m) => `{{ ${path(m[1])} | dict2items }}`],
  [/^json\s+(\S+)$/, (m) => `{{ ${path(m[1])} | to_json }}`],
  [/^hostvar\s+(\S+)\s+(['"][^'"]*['"])$/, (m) => `{{ hostvars[${path(m[1])}][${m[2]}] }}`],
  [/^lookup\s+(\S+)\s+(['"][^'"]*['"])$/, (m) => `{{ ${path(m[1])}[${m[2]}] }}`],
]

/** A Handlebars path as Jinja2 writes it: `a.[0]` is `a[0]`, `@root.x` and `this.x` are `x`. */
function path(p: string): string {
  return p.replace(/^@root\./, '').replace(/^this\./, '').replace(/^this$/, 'item').replace(/\.\[(\d+)\]/g, '[$1]').replace(/\.\[([^\]]+)\]/g, "['$1']")
}

/** `(eq a "b")` is `a == "b"`; `(and a b)` is `a and b`. */
function condition(c: string): string {
  const call = /^\(?(eq|ne|and|or|not)\s+(.*?)\)?$/.exec(c.trim())
  if (!call) return path(c.trim())
  const args = call[2].match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []
  if (call[1] === 'not') return `not ${path(args[0] ?? '')}`
  const op = { eq: '==', ne: '!=', and: 'and', or: 'or' }[call[1]] as string
  return args.map(path).join(` ${op} `)
}

/** `; pgha templates are Jinja2 now: write {{ x | join(', ') }}` for a former Handlebars construct at `pos`. */
export function handlebarsHint(text: string, pos: number): string {
  const open = text.lastIndexOf('{{', pos)
  if (open < 0) return ''
  const close = text.indexOf('}}', open)
  const inner = text.slice(open + 2, close < 0 ? undefined : close).replace(/^~|~$/g, '').trim()
  for (const [re, jinja] of HELPERS) {
    const m = re.exec(inner)
    if (m) return `; this is Handlebars, which pgha playbooks no longer use: in Jinja2 write ${jinja(m)}`
  }
  if (/\.\[\w+\]|@root\.|@index|@key/.test(inner)) {
    return `; this is Handlebars, which pgha playbooks no longer use: in Jinja2 write {{ ${path(inner.replace(/@index/, 'loop.index0').replace(/@key/, 'item.key'))} }}`
  }
  return ''
}
