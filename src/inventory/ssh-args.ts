// The few OpenSSH options of ansible_ssh_common_args / ansible_ssh_extra_args that pgha's own SSH client
// can honour: a jump host (`-J`, `-o ProxyJump=`, or the classic `-o ProxyCommand="ssh -W %h:%p host"`),
// `UserKnownHostsFile` and `StrictHostKeyChecking=accept-new|no` (which becomes accept-new: pgha never
// accepts a changed key). Other options are ignored, since ssh2 has no equivalent for most of them.
import { shlexSplit, ShlexError } from './shlex.js'

export interface SshArgs {
  jumpHost?: string
  knownHostsFile?: string
  acceptNewHostKeys?: boolean
}

/** ssh(1) options that take a value, so that the destination in a ProxyCommand can be found. */
const WITH_VALUE = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''))

/** Parsed texts: a host's connection is worked out for each of its tasks, from the same few texts. */
const parsed = new Map<string, Readonly<SshArgs>>()

export function parseSshArgs(text: string): Readonly<SshArgs> {
  let out = parsed.get(text)
  if (!out) {
    out = Object.freeze(parseUncached(text))
    if (parsed.size >= 1000) parsed.clear()
    parsed.set(text, out)
  }
  return out
}

function parseUncached(text: string): SshArgs {
  const out: SshArgs = {}
  const words = split(text)
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    const value = (flag: string): string => (w.length > flag.length ? w.slice(flag.length) : (words[++i] ?? ''))
    if (w.startsWith('-J')) out.jumpHost = jump(value('-J'))
    else if (w.startsWith('-o')) option(value('-o'), out)
  }
  return out
}

function option(text: string, out: SshArgs): void {
  const m = /^(\w+)\s*[=\s]\s*(.*)$/s.exec(text.trim())
  if (!m) return
  const [, key, value] = m
  switch (key.toLowerCase()) {
    case 'proxyjump':
      out.jumpHost = jump(value)
      break
    case 'proxycommand':
      out.jumpHost = proxyCommand(value)
      break
    case 'userknownhostsfile':
      out.knownHostsFile = split(value)[0]
      break
    case 'stricthostkeychecking':
      if (/^(no|off|accept-new)$/i.test(value.trim())) out.acceptNewHostKeys = true
      break
  }
}

/** `[ssh://][user@]host[:port]`; `none` means no jump host. */
function jump(spec: string): string | undefined {
  const s = spec.trim().replace(/^ssh:\/\//, '')
  if (s === '' || s.toLowerCase() === 'none') return undefined
  if (s.includes(',')) throw new Error(`pgha supports one jump host, got '${spec}'`)
  return s
}

/** Only the `ssh -W %h:%p [-l user] [-p port] [user@]host` form is a jump host pgha can reproduce. */
function proxyCommand(cmd: string): string | undefined {
  const words = split(cmd)
  if (cmd.trim().toLowerCase() === 'none') return undefined
  if (!/(^|\/)ssh$/.test(words[0] ?? '') || !words.includes('-W')) {
    throw new Error(`unsupported ProxyCommand '${cmd}': pgha can follow 'ssh -W %h:%p [user@]host' or -o ProxyJump=[user@]host[:port]`)
  }
  let user: string | undefined
  let port: string | undefined
  let dest: string | undefined
  for (let i = 1; i < words.length; i++) {
    const w = words[i]
    if (w.startsWith('-') && w.length >= 2 && WITH_VALUE.has(w[1])) {
      const v = w.length > 2 ? w.slice(2) : words[++i]
      if (w[1] === 'l') user = v
      if (w[1] === 'p') port = v
    } else if (!w.startsWith('-')) dest ??= w
  }
  if (!dest) throw new Error(`ProxyCommand '${cmd}' names no host to jump through`)
  const withUser = user && !dest.includes('@') ? `${user}@${dest}` : dest
  return port ? `${withUser}:${port}` : withUser
}

function split(text: string): string[] {
  try {
    return shlexSplit(text).map((t) => t.text)
  } catch (err) {
    if (err instanceof ShlexError) throw new Error(`cannot split '${text}': ${err.message}`, { cause: err })
    throw err
  }
}
