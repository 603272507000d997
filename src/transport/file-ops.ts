// Atomic file writes and reads expressed as one sh script each, so every transport (ssh shells, become
// shells, local sh) shares them and a write costs one round trip: stage into a temp file in the target
// directory, set owner and mode (an existing file's by default), validate, back up, rename.
import { posix } from 'node:path'
import { PghaError } from '../errors.js'
import { shqAlways } from '../shell/index.js'
import { randomToken } from './random-token.js'
import type { ExecOptions, ExecResult, WriteFileOptions, WriteFileResult } from './types.js'

export type Runner = (command: string, options?: ExecOptions) => Promise<ExecResult>

/** rc of the install script when `validate` rejected the content. */
const VALIDATE_FAILED = 97
const MISSING = 'pgha: no such file'

/** A fresh temp path next to `path`, so the final rename never crosses filesystems. */
export function tempPathFor(path: string): string {
  return posix.join(posix.dirname(path), `.pgha-${randomToken(6)}-${posix.basename(path)}`)
}

/**
 * The script that finishes a write whose content is at `tmp`, or first decodes it from stdin (base64) when
 * `fromStdin`. Any failure removes the temp file and leaves the old file untouched.
 * `expectedBytes`: the content's size when it comes on stdin. A connection that drops mid-transfer ends the
 * shell's input inside the heredoc, and sh still runs the command with what arrived: without this check the
 * truncated content would be renamed into place.
 */
export function installScript(path: string, tmp: string, o: WriteFileOptions, fromStdin: boolean, expectedBytes?: number): string {
  const lines = [
    `p=${shqAlways(path)}; t=${shqAlways(tmp)}`,
    `fail() { rm -f "$t" "$t~"; exit "\${1:-1}"; }`,
    // A hangup (the session's pty closing), a kill or a write to the closed connection ends the write
    // without leaving the temp file behind.
    `trap 'fail 129' HUP INT PIPE TERM`,
  ]
  if (fromStdin) lines.push(`(umask 077; cat > "$t") || fail`)
  if (fromStdin && expectedBytes !== undefined) {
    lines.push(`n=$(wc -c < "$t") || fail; [ $n -eq ${expectedBytes} ] || { rm -f "$t"; echo "received $n of ${expectedBytes} bytes (connection lost?), file left unchanged" >&2; exit 1; }`)
  }
  // Owner first, then the mode: the temp file is 0600 from its first byte and goes straight to its final
  // mode (the task's, else the old file's, else 0644), never through a wider one. chown clears setuid
  // bits, so the mode is set after it. Owner only where we may (root or same owner).
  lines.push(`if [ -e "$p" ]; then chown --reference="$p" "$t" 2>/dev/null || :; fi`)
  if (o.owner || o.group) lines.push(`chown ${shqAlways(`${o.owner ?? ''}${o.group ? `:${o.group}` : ''}`)} "$t" || fail`)
  if (o.mode) lines.push(`chmod ${shqAlways(o.mode)} "$t" || fail`)
  else lines.push(`if [ -e "$p" ]; then chmod --reference="$p" "$t" || fail; else chmod 0644 "$t" || fail; fi`)
  if (o.validate) {
    const cmd = o.validate.includes('%s') ? o.validate.split('%s').join('"$t"') : `${o.validate} "$t"`
    lines.push(`v=$( (eval ${shqAlways(cmd)}) 2>&1 </dev/null ) || { printf '%s\\n' "$v" >&2; fail ${VALIDATE_FAILED}; }`)
  }
  if (o.backup) {
    // Copied to a fresh name beside the temp file, then renamed: a rename replaces whatever has the
    // backup's name (a planted link included) instead of writing through it.
    lines.push(`if [ -e "$p" ]; then b="$p.$(date +%Y%m%dT%H%M%S)~"; cp -p "$p" "$t~" && mv -fT "$t~" "$b" || { rm -f "$t~"; fail; }; printf 'backup=%s\\n' "$b"; fi`)
  }
  lines.push(`mv -f "$t" "$p" || fail`)
  return lines.join('\n')
}

/**
 * The install script for content staged at `staged` by the login user (outside the target directory, which
 * only the become user may write): the become user copies it into the temp file, removes the stage, and
 * finishes as `installScript` does. The stage is removed on every path, so nothing is left in /tmp.
 */
export function stagedInstallScript(path: string, staged: string, o: WriteFileOptions): string {
  return fromHostFile(path, staged, o, true)
}

/** The install script for a copy of a file already on the host (copy's remote_src); the source stays. */
export function hostCopyScript(path: string, src: string, o: WriteFileOptions): string {
  return fromHostFile(path, src, o, false)
}

function fromHostFile(path: string, src: string, o: WriteFileOptions, removeSource: boolean): string {
  const tmp = tempPathFor(path)
  const t = shqAlways(tmp)
  return `s=${shqAlways(src)}; (umask 077; cat -- "$s" > ${t}); r=$?; ${removeSource ? 'rm -f "$s"; ' : ''}if [ $r -ne 0 ]; then rm -f ${t}; exit 1; fi\n${installScript(path, tmp, o, false)}`
}

/** Runs an install script and turns its result into the Transport answer. */
export async function runInstall(
  run: Runner,
  host: string,
  path: string,
  script: string,
  o: WriteFileOptions,
  stdin?: Buffer,
): Promise<WriteFileResult> {
  const r = await run(script, { become: o.become ?? false, user: o.user, password: o.password, timeoutMs: o.timeoutMs, stdin })
  if (r.rc === VALIDATE_FAILED) {
    throw new PghaError('task', `validation of ${path} failed on ${host} (${o.validate}), file left unchanged: ${r.stderr.trim()}`)
  }
  if (r.rc !== 0) throw new PghaError('task', `cannot write ${path} on ${host}: ${r.stderr.trim() || `rc ${r.rc}`}`)
  const backup = /^backup=(.*)$/m.exec(r.stdout)?.[1]
  return backup ? { backupPath: backup } : {}
}

/** Writes `content` through the shell in one round trip (base64 on the command's stdin). */
export function writeViaShell(run: Runner, host: string, path: string, content: Buffer, o: WriteFileOptions = {}): Promise<WriteFileResult> {
  return runInstall(run, host, path, installScript(path, tempPathFor(path), o, true, content.length), o, content)
}

/** Reads a file through the shell as base64; undefined when it does not exist. */
export async function readViaShell(run: Runner, host: string, path: string, o: ExecOptions): Promise<Buffer | undefined> {
  const p = shqAlways(path)
  const r = await run(`if [ ! -e ${p} ]; then echo ${shqAlways(MISSING)} >&2; exit 1; fi; base64 < ${p}`, o)
  if (r.rc === 0) return Buffer.from(r.stdout, 'base64')
  if (r.stderr.trim() === MISSING) return undefined
  throw new PghaError('task', `cannot read ${path} on ${host}: ${r.stderr.trim() || `rc ${r.rc}`}`)
}
