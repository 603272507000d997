// INI files as Python's configparser reads and writes them (yum .repo files): sections in file order,
// keys lower-cased, `key = value` or `key: value`, indented lines continuing a value, comments dropped;
// written back as configparser.write does (`key = value`, continuation lines indented by a tab, a blank
// line after each section).
export type IniSections = Map<string, Map<string, string>>

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map()
  let section: Map<string, string> | undefined
  let key: string | undefined
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(line)) {
      key = undefined
      continue
    }
    const head = /^\[([^\]]+)\]/.exec(line)
    if (head) {
      section = sections.get(head[1]) ?? new Map()
      sections.set(head[1], section)
      key = undefined
    } else if (/^\s/.test(line) && section && key !== undefined) {
      section.set(key, `${section.get(key)}\n${line.trim()}`)
    } else if (section) {
      const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line)
      if (!m) continue
      key = m[1].trim().toLowerCase()
      section.set(key, m[2].trim())
    }
  }
  return sections
}

/** The text configparser.write gives. */
export function writeIni(sections: IniSections): string {
  let out = ''
  for (const [name, keys] of sections) {
    out += `[${name}]\n`
    for (const [k, v] of keys) out += `${k} = ${v.replace(/\n/g, '\n\t')}\n`
    out += '\n'
  }
  return out
}

/** Sections and keys sorted, values as they are: what Ansible's yum_repository shows in --diff. */
export function dumpIni(sections: IniSections): string {
  let out = ''
  for (const name of [...sections.keys()].sort()) {
    out += `[${name}]\n`
    for (const k of [...sections.get(name)!.keys()].sort()) out += `${k} = ${sections.get(name)!.get(k)}\n`
    out += '\n'
  }
  return out
}
