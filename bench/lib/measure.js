// Wall time and peak memory of a whole process, start to exit: the tool is spawned under
// /usr/bin/time, whose %M is the largest resident set of the process (or of its biggest child).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * @typedef {{ wallMs: number, peakRssKb: number, code: number, stdout: string, stderr: string }} Measured
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
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, cmd, ...args], {
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
    return { wallMs, peakRssKb: parsePeakRss(readFileSync(timeFile, 'utf8')), code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
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
