// Wall time, CPU time and peak memory of a whole process, start to exit: the tool is spawned under
// /usr/bin/time, whose %U and %S are the user and system CPU seconds of the process and the children it
// waited for, and %M the largest resident set of the process (or of its biggest child). CPU time moves far
// less with the machine's load than wall time does, which is what makes it worth reading on a shared host.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * @typedef {{ wallMs: number, cpuMs: number, peakRssKb: number, code: number, stdout: string, stderr: string }} Measured
 */

/**
 * Runs `cmd args` to completion.
 * @param {string} cmd @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string }} [opts]
 * @returns {Promise<Measured>}
 */
export async function measure(cmd, args, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-bench-time-'))
  const timeFile = join(dir, 'time')
  try {
    const started = process.hrtime.bigint()
    const child = spawn('/usr/bin/time', ['-f', '%U %S\n%M', '-o', timeFile, cmd, ...args], {
      env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out = []
    const err = []
    child.stdout.on('data', (c) => out.push(c))
    child.stderr.on('data', (c) => err.push(c))
    const code = await new Promise((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (c) => resolve(c ?? 1))
    })
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6
    const time = readFileSync(timeFile, 'utf8')
    return { wallMs, cpuMs: parseCpuMs(time), peakRssKb: parsePeakRss(time), code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The last number /usr/bin/time wrote (it prefixes "Command exited with non-zero status N" lines). */
export function parsePeakRss(text) {
  const lines = text.trim().split('\n')
  const n = Number(lines[lines.length - 1])
  return Number.isFinite(n) ? n : NaN
}

/** User plus system CPU time in ms, from the line before the last (`%U %S`, seconds to 1/100). */
export function parseCpuMs(text) {
  const lines = text.trim().split('\n')
  const [user, sys] = (lines[lines.length - 2] ?? '').trim().split(/\s+/).map(Number)
  return Number.isFinite(user) && Number.isFinite(sys) ? Math.round((user + sys) * 1000) : NaN
}
