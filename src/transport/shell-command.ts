// Builds the text written to a long-lived shell for one command: a subshell (so `exit`, `cd` and exports
// stay local), stdin from /dev/null or from a base64 heredoc (exact bytes, no trailing-newline guessing),
// then a sentinel `TOKEN:rc\n` that frames the output and carries the exit code.
import { PghaError } from '../errors.js'
import { shqAlways } from '../shell/index.js'

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

/** Base64 in 76-column lines, so heredocs through a pty never carry a huge line. */
function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64')
  let out = ''
  for (let i = 0; i < b64.length; i += 76) out += b64.slice(i, i + 76) + '\n'
  return out
}

/** `cd DIR && export K='V' && ` for one command's cwd and environment (values quoted). */
export function commandPrefix(o: Pick<WrapOptions, 'cwd' | 'env'>): string {
  let prefix = o.cwd ? `cd ${shqAlways(o.cwd)} && ` : ''
  for (const [key, value] of Object.entries(o.env ?? {})) {
    if (!ENV_NAME.test(key)) throw new PghaError('task', `invalid environment variable name: ${JSON.stringify(key)}`)
    prefix += `export ${key}=${shqAlways(value)} && `
  }
  return prefix
}

export function wrapCommand(command: string, o: WrapOptions): string {
  const prefix = commandPrefix(o)
  // timeout(1) runs the command in its own process group and signals the whole group, so children die
  // too and the long-lived shell survives; -k escalates to KILL for commands that ignore TERM. Its sh
  // reads the command from a heredoc on fd 3, not from its arguments: every user of the host can read a
  // command line (ps), and commands carry here-documents (SQL, file contents).
  const cmdDelim = `PGHA_CMD_${o.token}`
  const inner = o.timeoutMs
    ? `timeout -k 2 ${(o.timeoutMs / 1000).toFixed(3)} sh -c '__pgha_cmd=$(base64 -d <&3) && exec 3<&- && eval "$__pgha_cmd"' 3<<'${cmdDelim}'`
    : `eval ${shqAlways(command)}`
  const errRedirect = o.mode === 'merged' ? ` 2>"$${ERR_VAR}"` : ''
  const sub = `( ${prefix}${inner} )${errRedirect}`
  const stdin = withStdin(sub, o.stdin, `PGHA_EOF_${o.token}`)
  // Heredoc bodies follow the line in the order their operators appear on it: stdin's, then the command's.
  const heredoc = o.timeoutMs ? `${stdin.heredoc}${base64Lines(Buffer.from(command))}${cmdDelim}\n` : stdin.heredoc
  const half = Math.floor(o.token.length / 2)
  const sentinel = `printf '%s%s:%d\\n' ${o.token.slice(0, half)} ${o.token.slice(half)} "$__pgha_rc"`
  const tail =
    o.mode === 'merged' ? `${sentinel}; cat "$${ERR_VAR}"; ${sentinel}` : `${sentinel}; ${sentinel} >&2`
  return `${stdin.run}; __pgha_rc=$?; ${tail}\n${heredoc}`
}

/**
 * `sub` with its stdin: /dev/null, or the exact bytes piped from a base64 heredoc. `heredoc` is the text to
 * write right after the line that holds `run` ends (empty for /dev/null). `delim` must not be base64.
 */
function withStdin(sub: string, stdin: string | Buffer | undefined, delim: string): { run: string; heredoc: string } {
  if (stdin === undefined) return { run: `${sub} </dev/null`, heredoc: '' }
  return { run: `base64 -d <<'${delim}' | ${sub}`, heredoc: `${base64Lines(Buffer.from(stdin))}${delim}\n` }
}
