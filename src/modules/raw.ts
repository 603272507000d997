// raw: runs a command line on the host as it is written, through the host's shell (or `executable -c`), as
// Ansible's raw does: no module and no python on the host, which is why roles run it first on a bare host
// (robertdebock.bootstrap installs python with it). The result is the command's rc and its stdout and
// stderr as printed (not stripped, lines split as Python's splitlines splits them); the task is always
// changed, a nonzero rc fails it, and a check run skips it. Unlike Ansible's raw, which warns and ignores
// it, the task's `environment` applies, as to every command pgha runs.
import { z } from 'zod'
import { shq } from '../shell/index.js'
import { defineModule, type TaskResult } from './types.js'
import { absolutePathParam } from './lib/value-kinds.js'
import { forgetFacts } from './lib/command-run.js'

const params = z
  .object({
    _raw_params: z.string().min(1).describe("The command line, as the host's shell reads it (free form)."),
    executable: absolutePathParam().optional().describe('Run it with this shell (`executable -c line`), e.g. /bin/bash.'),
  })
  .strict()

/** Python's str.splitlines: every line break it knows, no empty last line. */
export function pythonLines(s: string): string[] {
  // eslint-disable-next-line no-control-regex -- the file, group and record separators end lines for Python
  const lines = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

export default defineModule({
  name: 'raw',
  description: "Run a command line on the host as written, through its shell, without python (Ansible's raw)",
  params,
  async plan(ctx, p) {
    // Ansible's raw action skips itself in check mode, with no message.
    if (ctx.check) return { changes: [], result: { skipped: true } }
    return { changes: [{ description: `run: ${p._raw_params}` }], unpredictable: true }
  },
  async apply(ctx, p): Promise<Partial<TaskResult>> {
    const r = await ctx.exec(p.executable ? `${shq(p.executable)} -c ${shq(p._raw_params)}` : p._raw_params)
    forgetFacts(ctx)
    const result: Partial<TaskResult> = { changed: true, rc: r.rc, stdout: r.stdout, stdout_lines: pythonLines(r.stdout), stderr: r.stderr, stderr_lines: pythonLines(r.stderr) }
    if (r.rc !== 0) Object.assign(result, { failed: true, msg: 'non-zero return code' })
    return result
  },
})
