// The Handlebars helpers pgha adds for playbooks and config templates. Kept small on purpose: anything
// richer belongs in a variable or a module, not in template logic. Built-ins kept: if, unless, each, with,
// lookup; `log` is removed so a template cannot write to the controller's console.
import { isIP } from 'node:net'
import { lineFormatHelpers, shq } from '../shell/index.js'
import { truthy } from './truthy.js'

export interface HelperDoc {
  name: string
  usage: string
  description: string
}

type Helper = (...args: unknown[]) => unknown

/** `{{quote x}}`: shell quoting, safe for any string in sh, including quotes and newlines; no value quotes as ''. */
function quoteHelper(value: unknown): string {
  return shq(value === undefined || value === null ? '' : String(value))
}

/** Handlebars passes its options object as the last argument; helpers only want the user's arguments. */
function userArgs(args: unknown[]): unknown[] {
  return args.slice(0, -1)
}

function list(name: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  throw new Error(`${name}: expected a list, got ${value === undefined ? 'an undefined value' : typeof value}`)
}

const helpers: Record<string, { fn: Helper; doc: Omit<HelperDoc, 'name'> }> = {
  default: {
    fn: (...a) => {
      const [value, fallback] = userArgs(a)
      return value === undefined || value === null ? fallback : value
    },
    doc: { usage: '{{default port 5432}}', description: 'the value, or the fallback when it is undefined or null' },
  },
  eq: {
    fn: (...a) => {
      const [x, y] = userArgs(a)
      return x === y
    },
    doc: { usage: '{{#if (eq role "primary")}}', description: 'strict equality' },
  },
  ne: {
    fn: (...a) => {
      const [x, y] = userArgs(a)
      return x !== y
    },
    doc: { usage: '{{#if (ne role "witness")}}', description: 'strict inequality' },
  },
  and: {
    fn: (...a) => userArgs(a).every(truthy),
    doc: { usage: '{{#if (and a b)}}', description: 'true when every argument is truthy (Python truthiness)' },
  },
  or: {
    fn: (...a) => userArgs(a).some(truthy),
    doc: { usage: '{{#if (or a b)}}', description: 'true when some argument is truthy' },
  },
  not: {
    fn: (...a) => !truthy(userArgs(a)[0]),
    doc: { usage: '{{#if (not standby)}}', description: 'negation (Python truthiness: "", 0, [], {} are false)' },
  },
  in: {
    fn: (...a) => {
      const [item, container] = userArgs(a)
      return Array.isArray(container) ? container.includes(item) : typeof container === 'string' ? container.includes(String(item)) : false
    },
    doc: { usage: "{{#if (in 'backup' group_names)}}", description: "Jinja's `x in y`: the item is in the list (or the text in the string)" },
  },
  join: {
    fn: (...a) => {
      const [value, sep] = userArgs(a)
      return list('join', value).join(typeof sep === 'string' ? sep : ',')
    },
    doc: { usage: '{{join addresses ","}}', description: 'joins a list with a separator (default ",")' },
  },
  first: {
    fn: (...a) => list('first', userArgs(a)[0])[0],
    doc: { usage: '{{first groups.primary}}', description: 'the first item of a list (e.g. the primary host)' },
  },
  last: {
    fn: (...a) => {
      const l = list('last', userArgs(a)[0])
      return l[l.length - 1]
    },
    doc: { usage: '{{last groups.standby}}', description: 'the last item of a list' },
  },
  items: {
    fn: (...a) => {
      const [value] = userArgs(a)
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`items: expected a mapping, got ${value === undefined ? 'an undefined value' : typeof value}`)
      return Object.entries(value).map(([key, v]) => ({ key, value: v }))
    },
    doc: { usage: 'loop: "{{items pg_settings}}"', description: "a mapping as a list of {key, value} (Ansible's dict2items)" },
  },
  hostvar: {
    fn: (...a) => {
      const [host, name, options] = [...userArgs(a), a[a.length - 1]] as [unknown, unknown, { data?: { root?: Record<string, unknown> } }]
      const hv = options?.data?.root?.hostvars as Record<string, Record<string, unknown>> | undefined
      const vars = hv?.[String(host)]
      if (!vars) throw new Error(`hostvar: no host '${String(host)}' in the inventory`)
      if (vars[String(name)] === undefined) throw new Error(`hostvar: '${String(name)}' is not defined for ${String(host)}`)
      return vars[String(name)]
    },
    doc: { usage: '{{hostvar host "ansible_host"}}', description: "another host's variable (hostvars[host][name]), an error when undefined" },
  },
  quote: {
    fn: function (this: unknown, ...a: unknown[]) {
      const options = a[a.length - 1] as { fn?: (context: unknown) => string } | undefined
      return quoteHelper(options?.fn ? options.fn(this) : userArgs(a)[0])
    },
    doc: { usage: 'psql -c {{quote sql}}, PEERS={{#quote}}{{a}} {{b}}{{/quote}}', description: 'shell-quotes a value (or the block it renders) for sh' },
  },
  json: {
    fn: (...a) => JSON.stringify(userArgs(a)[0]),
    doc: { usage: '{{json settings}}', description: 'the value as JSON (strings get double quotes)' },
  },
  cidr: {
    fn: (...a) => cidr(userArgs(a)[0]),
    doc: { usage: '{{cidr ansible_host}}', description: 'an address as a pg_hba.conf CIDR: /32 for IPv4, /128 for IPv6; a CIDR or a host name as it is' },
  },
  pgpass: {
    fn: (...a) => pgpassField(userArgs(a)[0]),
    doc: { usage: '{{pgpass repmgr_password}}', description: "a value for a field of ~/.pgpass, as it is; refuses ':', '\\' and line breaks (they would need escaping)" },
  },
  ...lineFormatHelpers,
}

/** pg_hba.conf takes a CIDR or a host name; a bare address is one host. */
function cidr(value: unknown): string {
  const s = String(value ?? '').trim()
  if (s === '') throw new Error('cidr: expected an address, got an empty value')
  if (s.includes('/')) return s
  const family = isIP(s)
  return family === 4 ? `${s}/32` : family === 6 ? `${s}/128` : s
}

/**
 * A .pgpass field as it is. `:` and `\` would need a backslash before them, and an escaped secret is a
 * string pgha's output masking does not know (it masks secrets by value), so they are refused instead.
 * The error never quotes the value.
 */
function pgpassField(value: unknown): string {
  const s = String(value ?? '')
  if (/[:\\\r\n]/.test(s)) throw new Error("a value for ~/.pgpass cannot hold ':', '\\' or a line break")
  return s
}

/** The helpers, by name, as Handlebars registers them. */
export const templateHelpers: Record<string, Helper> = Object.fromEntries(
  Object.entries(helpers).map(([name, h]) => [name, h.fn]),
)

/** One line per helper, for `pgha doc` and error hints. */
export const templateHelperDocs: HelperDoc[] = Object.entries(helpers).map(([name, h]) => ({ name, ...h.doc }))
