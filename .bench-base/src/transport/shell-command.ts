// Builds the text written to a long-lived shell for one command: a subshell (so `exit`, `cd` and exports
// stay local), stdin from /dev/null or from a base64 heredoc (exact bytes, no trailing-newline guessing),
// then a sentinel `TOKEN:rc\n` that frames the output and carries the exit code.
import { PghaError } from '../errors.js'
import { base64Lines, shq } from './quote.js'

export interface WrapOptions {
  /** Unique per command; printed in two halves so the command text itself never contains it. */
  token: string
  env?: Record<string, string>
  cwd?: string
  stdin?: string | Buffer
  timeoutMs?: number
  /**
   * 'split': stdout and stderr are separate streams; each gets its own sentinel.
   * 'merged' (a pty): stderr goes to the file named by $__pgha_err and is replayed after the stdout
   * sentinel, followed by a second sentinel.
   */
  mode: 'split' | 'merged'
}

/** Shell variable holding the per-shell stderr file of merged-mode shells. */
export const ERR_VAR = '__pgha_err'

/** Commands run once when a merged-mode shell starts: the stderr file, removed when the shell ends. */
export const MERGED_INIT = `${ERR_VAR}=$(mktemp) || exit 1; trap 'rm -f "$${ERR_VAR}"' EXIT; trap 'exit 129' HUP TERM\n`

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `cd DIR && export K='V' && ` for one command's cwd and environment (values quoted). */
export function commandPrefix(o: Pick<WrapOptions, 'cwd' | 'env'>): string {
  let prefix = o.cwd ? `cd ${shq(o.cwd)} && ` : ''
  for (const [key, value] of Object.entries(o.env ?? {})) {
    if (!ENV_NAME.test(key)) throw new PghaError('task', `invalid environment variable name: ${JSON.stringify(key)}`)
    prefix += `export ${key}=${shq(value)} && `
  }
  return prefix
}

export function wrapCommand(command: string, o: WrapOptions): string {
  const prefix = commandPrefix(o)
  // timeout(1) runs the command in its own process group and signals the whole group, so children die
  // too and the long-lived shell survives; -k escalates to KILL for commands that ignore TERM.
  const inner = o.timeoutMs
    ? `timeout -k 2 ${(o.timeoutMs / 1000).toFixed(3)} sh -c ${shq(command)}`
    : `eval ${shq(command)}`
  const errRedirect = o.mode === 'merged' ? ` 2>"$${ERR_VAR}"` : ''
  const sub = `( ${prefix}${inner} )${errRedirect}`
  const delim = `PGHA_EOF_${o.token}`
  const run = o.stdin === undefined ? `${sub} </dev/null` : `base64 -d <<'${delim}' | ${sub}`
  const half = Math.floor(o.token.length / 2)
  const sentinel = `printf '%s%s:%d\\n' ${o.token.slice(0, half)} ${o.token.slice(half)} "$__pgha_rc"`
  const tail =
    o.mode === 'merged' ? `${sentinel}; cat "$${ERR_VAR}"; ${sentinel}` : `${sentinel}; ${sentinel} >&2`
  let text = `${run}; __pgha_rc=$?; ${tail}\n`
  if (o.stdin !== undefined) text += base64Lines(Buffer.from(o.stdin)) + delim + '\n'
  return text
}
