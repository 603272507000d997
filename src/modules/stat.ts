// stat: reports a path's existence, type, owner, group, mode, size and checksum in result.stat; never changes anything.
import { z } from 'zod'
import { fileFact, type FileArgs } from '../facts/index.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'
import { hostPathParam } from './lib/value-kinds.js'

const params = z
  .object({
    path: hostPathParam().describe('The path to examine.'),
    follow: bool(false, 'Report on the target of a symlink instead of the link.'),
    get_checksum: bool(true, 'Include the sha1 checksum of a regular file.'),
    checksum_algorithm: z.enum(['sha1', 'sha256', 'sha512', 'md5']).default('sha1').describe('Algorithm for checksum.'),
  })
  .strict()

type Params = z.output<typeof params>

const statArgs = (p: Params): FileArgs => ({ path: p.path, follow: p.follow, checksum: p.get_checksum ? p.checksum_algorithm : undefined })

export default defineModule({
  name: 'stat',
  aliases: { checksum: 'checksum_algorithm', checksum_algo: 'checksum_algorithm', dest: 'path', name: 'path' },
  description: 'Report facts about a path (result.stat) without changing anything',
  params,
  reads: (p) => [{ def: fileFact, args: statArgs(p) }],
  async plan(ctx, p) {
    const f = await ctx.fact(fileFact, statArgs(p))
    if (!f.exists) return { changes: [], result: { stat: { exists: false } } }
    const stat = {
      exists: true,
      path: p.path,
      isdir: f.type === 'directory',
      isreg: f.type === 'file',
      islnk: f.type === 'link',
      mode: f.mode,
      uid: f.uid,
      gid: f.gid,
      pw_name: f.owner,
      gr_name: f.group,
      size: f.size,
      mtime: f.mtime,
      inode: f.inode,
      ...(f.target !== undefined && { lnk_source: f.realpath, lnk_target: f.target }),
      ...(f.checksum !== undefined && f.type === 'file' && { checksum: f.checksum }),
    }
    return { changes: [], result: { stat } }
  },
})
