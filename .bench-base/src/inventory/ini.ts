// Ansible's INI inventory format: `[group]` host lines with inline `k=v` vars, `[group:vars]` with one
// `k=v` per line, `[group:children]` with one group name per line; `#` and `;` start comment lines.
// Values are Python literals when they parse as one (`5`, `True`, `'x'`, `[1, 2]`), else text, as in
// Ansible. A `[g:children]` naming a group that has no `[name]` or `[name:children]` section in the same
// file (or an earlier one) is an error, as in Ansible: it is almost always a typo; write an empty
// `[name]` section to declare an empty group.
import type { SourceLocation } from '../errors.js'
import { setVar, type InventoryBuilder } from './builder.js'
import { parseHostEntry, HostEntryError } from './host-entry.js'
import { iniValue } from './python-literal.js'
import { shlexSplit, ShlexError } from './shlex.js'

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/
const GROUP_NAME = /^([^:\]\s]+)\s*(?:[#;].*)?$/

type State = 'hosts' | 'vars' | 'children'

interface Reference {
  group: string
  loc: SourceLocation
  message: string
}

export function parseIni(text: string, file: string, b: InventoryBuilder): void {
  const declared = new Set(b.groups.keys())
  /** Names that must be declared by the end of the file: children and `[g:vars]` targets. */
  const references: Reference[] = []
  let group = 'ungrouped'
  let state: State = 'hosts'
  // After an unknown section type its lines would only produce more confusing errors.
  let skipping = false
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, index) => {
    const at = (offset: number): SourceLocation => ({ file, line: index + 1, col: offset + 1 })
    const line = raw.trim()
    const indent = raw.length - raw.trimStart().length
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return
    const section = SECTION.exec(line)
    if (section) {
      const [, name, type = 'hosts'] = section
      const loc = at(indent + 1)
      if (type !== 'hosts' && type !== 'vars' && type !== 'children') {
        b.error(`unknown section type ':${type}' in [${name}:${type}]: expected [${name}], [${name}:vars] or [${name}:children]`, at(indent + name.length + 2))
        skipping = true
        return
      }
      skipping = false
      group = name
      state = type
      b.group(name, loc)
      if (type === 'vars') references.push({ group: name, loc, message: `[${name}:vars] is for a group that is never defined: add a [${name}] section or fix the name` })
      else declared.add(name)
      return
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      return b.error(`invalid section header ${line}: expected [group], [group:vars] or [group:children], and a group name has no spaces or ':'`, at(indent))
    }
    if (skipping) return
    if (state === 'hosts') return hostLine(raw, at)
    if (state === 'vars') return varLine(line, at(indent))
    const child = GROUP_NAME.exec(line)
    if (!child) return b.error(`expected one group name per line in [${group}:children], got '${line}'`, at(indent))
    const loc = at(indent)
    b.addChild(group, child[1], loc)
    references.push({ group: child[1], loc, message: `[${group}:children] names group '${child[1]}', which is never defined: add a [${child[1]}] section (empty is fine) or fix the name` })
  })
  for (const r of references) if (!declared.has(r.group)) b.error(r.message, r.loc)

  function hostLine(raw: string, at: (offset: number) => SourceLocation): void {
    let tokens
    try {
      tokens = shlexSplit(raw)
    } catch (err) {
      if (!(err instanceof ShlexError)) throw err
      return b.error(`${err.message} in host line`, at(err.offset))
    }
    const [first, ...rest] = tokens
    if (!first) return
    let entry
    try {
      entry = parseHostEntry(first.text)
    } catch (err) {
      if (!(err instanceof HostEntryError)) throw err
      return b.error(err.message, at(first.offset + err.offset))
    }
    const vars: [string, unknown, SourceLocation][] = []
    for (const t of rest) {
      const eq = t.text.indexOf('=')
      if (eq <= 0) {
        b.error(`expected key=value host variable after the host name, got '${t.text}'`, at(t.offset))
        continue
      }
      vars.push([t.text.slice(0, eq), iniValue(t.text.slice(eq + 1)), at(t.offset)])
    }
    const loc = at(first.offset)
    for (const name of entry.names) {
      const host = b.addHost(group, name, loc)
      if (entry.port !== undefined) setVar(host.vars, 'ansible_port', entry.port, loc)
      for (const [k, v, vloc] of vars) setVar(host.vars, k, v, vloc)
    }
  }

  function varLine(line: string, loc: SourceLocation): void {
    const eq = line.indexOf('=')
    const key = eq < 0 ? '' : line.slice(0, eq).trim()
    if (eq < 0 || key === '' || /\s/.test(key)) {
      return b.error(`expected key=value in [${group}:vars], got '${line}'`, loc)
    }
    setVar(b.group(group).vars, key, iniValue(line.slice(eq + 1).trim()), loc)
  }
}
