// A host entry as written in an inventory: `name`, `name:port`, `[ipv6]:port`, with ranges such as
// `www[01:50].example.com`, `db-[a:c]` or `node[1:9:2]` expanded the way Ansible expands them.

export interface HostEntry {
  names: string[]
  port?: number
}

/** A problem in a host entry, with the 0-based offset in the entry where it is. */
export class HostEntryError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
/** A typo such as [1:1000000] would otherwise build a million hosts. */
const MAX_HOSTS = 100_000

export function parseHostEntry(entry: string): HostEntry {
  let name = entry
  let port: number | undefined
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed && bracketed[1].includes(':')) {
    return { names: [bracketed[1]], port: bracketed[2] ? checkPort(bracketed[2], entry.lastIndexOf(':') + 1) : undefined }
  }
  if (/^[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(entry)) return { names: [entry] } // bare IPv6
  const withPort = /^(.*[^:]):(\d+)$/.exec(entry)
  if (withPort) {
    name = withPort[1]
    port = checkPort(withPort[2], name.length + 1)
  } else if (entry.endsWith(':')) {
    throw new HostEntryError(`host '${entry}' ends in ':' but has no port after it`, entry.length - 1)
  }
  if (name === '---') throw new HostEntryError("host '---' looks like the start of a YAML document: is this file YAML?", 0)
  return { names: expandRanges(name, 0), port }
}

function checkPort(text: string, offset: number): number {
  const port = Number(text)
  if (port < 1 || port > 65535) throw new HostEntryError(`port ${text} is out of range (1-65535)`, offset)
  return port
}

/** Expands the first `[begin:end(:step)]` of a name, then the rest recursively. */
function expandRanges(name: string, base: number): string[] {
  const open = name.indexOf('[')
  const close = name.indexOf(']', open)
  if (open < 0 || close < 0 || !name.slice(open, close).includes(':')) return [name]
  const head = name.slice(0, open)
  const spec = name.slice(open + 1, close)
  const tail = name.slice(close + 1)
  const at = base + open
  const bad = (why: string): never => {
    throw new HostEntryError(`bad host range '[${spec}]': ${why}`, at)
  }
  const bounds = spec.split(':')
  if (bounds.length > 3) bad('expected [begin:end] or [begin:end:step]')
  const [begin = '', end = '', stepText] = bounds
  const start = begin === '' ? '0' : begin
  if (end === '') bad('the end is missing')
  const step = stepText === undefined ? 1 : Number(stepText)
  if (!Number.isInteger(step) || step < 1) bad(`the step '${stepText}' is not a positive integer`)
  let items: string[]
  const ia = LETTERS.indexOf(start)
  const ib = LETTERS.indexOf(end)
  if (start.length === 1 && end.length === 1 && ia >= 0 && ib >= 0) {
    if (ia > ib) bad('begin comes after end')
    items = []
    for (let k = ia; k <= ib; k += step) items.push(LETTERS[k])
  } else {
    if (!/^\d+$/.test(start) || !/^\d+$/.test(end)) bad('begin and end must both be numbers or both be single letters')
    const width = start.length > 1 && start.startsWith('0') ? start.length : 0
    if (width && end.length !== width) bad('with leading zeros, begin and end must have the same width')
    const [a, b] = [Number(start), Number(end)]
    if (a > b) bad('begin is greater than end')
    if ((b - a) / step >= MAX_HOSTS) bad(`it would make more than ${MAX_HOSTS} hosts`)
    items = []
    for (let k = a; k <= b; k += step) items.push(String(k).padStart(width, '0'))
  }
  const out: string[] = []
  for (const item of items) {
    for (const rest of expandRanges(tail, at + spec.length + 2)) out.push(head + item + rest)
    if (out.length > MAX_HOSTS) bad(`it would make more than ${MAX_HOSTS} hosts`)
  }
  return out
}
