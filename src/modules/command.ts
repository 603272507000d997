// command: runs a program with arguments, without a shell. Check mode is exact only with creates/removes.
import { z } from 'zod'
import { defineModule } from './types.js'
import { guardReads, planRun, runCommand, runParams } from './lib/command-run.js'
import { argvToSh, splitArgs } from './lib/command-argv.js'

const params = z
  .object({
    cmd: z.string().optional().describe('The command line (free form); split into words like a shell would, but not run by one.'),
    argv: z.array(z.union([z.string(), z.number()]).transform(String)).min(1).optional().describe('The program and its arguments as a list; use instead of cmd.'),
    ...runParams,
  })
  .strict()
  .refine((p) => (p.cmd === undefined) !== (p.argv === undefined), { message: 'give exactly one of cmd (free form) or argv' })
  .transform((p, ctx) => {
    try {
      const argv = p.argv ?? splitArgs(p.cmd!)
      if (argv.length === 0) throw new Error('the command is empty')
      return { ...p, argv }
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message, path: ['cmd'] })
      return z.NEVER
    }
  })

export default defineModule({
  name: 'command',
  description: 'Run a program with arguments on the host, without a shell (no pipes, redirections or $VARS).',
  params,
  reads: guardReads,
  runsAsync: true,
  plan: (ctx, p) => planRun(ctx, p, p.cmd ?? p.argv.join(' ')),
  apply: (ctx, p) => runCommand(ctx, argvToSh(p.argv), p, p.argv),
})
