// git: a clone of a repository at a version (branch, tag, commit or the remote's HEAD), kept there. Plan reads
// the checkout (HEAD's commit, branch, remote URL, local modifications) and `git ls-remote` of the repo, and
// resolves the version to a commit as Ansible's module does (lib/git-remote.ts): it changes only when that
// commit, the remote URL or local modifications (with force) differ, so check mode is exact and a second run
// plans nothing. Apply runs the clone or the fetch and checkout Ansible's module runs, in one script.
// Unlike Ansible: submodules are updated after a change but do not themselves make one; clone: no on a missing
// checkout plans nothing (Ansible reports a change it never makes); verify_commit, archive, separate_git_dir and
// track_submodules are not implemented (an input error, as for any parameter pgha lacks).
import { posix } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { absolutePathParam, hostPathParam } from './lib/value-kinds.js'
import { checkoutScript, cloneScript, parseCheckout, readScript, resolveVersion, type Checkout, type GitRun } from './lib/git-remote.js'

/** A word git reads as a name, never as an option: refnames and remote names cannot begin with '-'. */
const gitWord = (what: string) => z.string().min(1).refine((v) => !v.startsWith('-'), `${what} cannot begin with '-'`)

const params = z
  .object({
    repo: gitWord('repo').describe('URL or path of the repository (alias: name).'),
    dest: absolutePathParam().optional().describe('Directory of the checkout on the host (required unless clone: no).'),
    version: gitWord('version').default('HEAD').describe("Branch, tag or full commit to check out; HEAD: the remote's default branch."),
    remote: gitWord('remote').default('origin').describe('Name of the remote.'),
    refspec: z.string().min(1).optional().describe('Extra refspec fetched with the clone or update (refs/pull/1/head).'),
    reference: hostPathParam().optional().describe('A local repository to borrow objects from (git clone --reference).'),
    force: bool(false, 'Discard local modifications to tracked files (git reset --hard) instead of failing on them.'),
    depth: z.coerce.number().int().positive().optional().describe('Shallow clone with this many commits (HEAD, branches and tags).'),
    clone: bool(true, 'Clone when dest holds no repository; no: only report the remote commit.'),
    update: bool(true, 'Fetch and check out the version when dest is already a clone; no: leave it as it is.'),
    accept_hostkey: bool(false, "Accept an ssh host key not yet known (ssh -o StrictHostKeyChecking=no)."),
    accept_newhostkey: bool(false, 'Accept a new ssh host key but not a changed one (StrictHostKeyChecking=accept-new).'),
    key_file: hostPathParam().optional().describe('Private key on the host for ssh URLs.'),
    ssh_opts: z.string().optional().describe('Extra options for ssh (GIT_SSH_COMMAND).'),
    executable: hostPathParam().optional().describe('Path of git on the host (default: git on PATH).'),
    bare: bool(false, 'A bare repository in dest (no working tree).'),
    recursive: bool(true, 'Also update the submodules (git submodule update --init --recursive).'),
    single_branch: bool(false, 'Clone only the history of version (git clone --single-branch).'),
    umask: z.string().regex(/^[0-7]{1,4}$/, 'umask must be a quoted octal number such as "0022"').optional().describe('umask of the git commands, as a quoted octal string.'),
  })
  .strict()
  .refine((p) => p.dest !== undefined || !p.clone, { message: 'the destination directory must be specified unless clone=no', path: ['dest'] })
  .refine((p) => !(p.accept_hostkey && p.accept_newhostkey), { message: 'parameters are mutually exclusive: accept_hostkey|accept_newhostkey' })

export type GitParams = z.output<typeof params>

interface Step {
  /** The shell script apply runs. */
  script: string
}

export default defineModule({
  name: 'git',
  aliases: { name: 'repo' },
  description: 'Clone a git repository onto the host and keep it at a version.',
  params,
  async plan(ctx, p) {
    const run = gitRun(p)
    const read = await ctx.exec(readScript(run, p.dest, p.bare, p.version), { env: run.env })
    if (read.rc !== 0) throw new PghaError('task', `git could not read ${p.repo}: ${read.stderr.trim() || read.stdout.trim()}`)
    const found = parseCheckout(read.stdout)
    const after = resolveVersion(p.version, found)
    if (after === undefined) throw new PghaError('task', `Could not determine remote revision for ${p.version}`)
    const before = found.exists ? (found.head ?? null) : null
    const changes = planGit(p, run, found, after)
    return { changes, result: { before, after, ...(found.exists && { remote_url_changed: urlChanged(found, run.url) }) } }
  },
  async apply(ctx, p, plan) {
    const run = gitRun(p)
    const script = plan.changes.map((c) => c.data.script).join('\n')
    const out = await ctx.exec(`set -e\n${run.umask}${script}\n${run.git} rev-parse HEAD`, { env: run.env })
    if (out.rc !== 0) throw new PghaError('task', `git failed in ${p.dest}: ${out.stderr.trim() || out.stdout.trim()}`)
    return { after: out.stdout.trim().split('\n').pop() }
  },
})

/** How the module runs git: the executable, the URL Ansible would use, the ssh command and the umask. */
function gitRun(p: GitParams): GitRun {
  const opts = [p.ssh_opts ?? '']
  if (p.accept_hostkey && !opts[0].includes('StrictHostKeyChecking')) opts.push('-o StrictHostKeyChecking=no')
  if (p.accept_newhostkey && !opts[0].includes('StrictHostKeyChecking')) opts.push('-o StrictHostKeyChecking=accept-new')
  if (!opts[0].includes('BatchMode=yes')) opts.push('-o BatchMode=yes')
  if (p.key_file) opts.push(`-i ${shq(p.key_file)} -o IdentitiesOnly=yes`)
  return {
    git: p.executable ? shq(p.executable) : 'git',
    // As Ansible: a path is a file:// URL, which shallow clones need.
    url: p.repo.startsWith('/') ? `file://${p.repo}` : p.repo,
    remote: p.remote,
    env: { GIT_SSH_COMMAND: ['ssh', ...opts.filter(Boolean)].join(' '), LC_ALL: 'C' },
    umask: p.umask ? `umask ${p.umask}\n` : '',
  }
}

const unfrack = (url: string) => url.replace(/\/+$/, '').replace(/^file:\/\//, '')
const urlChanged = (found: Checkout, url: string) => found.url !== undefined && unfrack(found.url) !== unfrack(url)

export function planGit(p: GitParams, run: GitRun, found: Checkout, after: string): Change<Step>[] {
  if (!found.exists) {
    const dest = p.dest
    if (!p.clone || dest === undefined) return []
    const at = p.version === 'HEAD' ? after : `${p.version} (${after})`
    return [{ description: `clone ${p.repo} into ${dest} at ${at}`, data: { script: cloneScript(run, { ...p, dest }, found, posix.dirname(dest)) } }]
  }
  if (!p.update || !p.dest) return []
  if (found.modified && !p.force) throw new PghaError('task', `Local modifications exist in the destination: ${p.dest} (force=no).`)
  const cd = `cd ${shq(p.dest)}`
  const changes: Change<Step>[] = []
  if (found.modified) changes.push({ description: `discard the local modifications in ${p.dest}`, data: { script: `${cd}\n${run.git} reset --hard HEAD` } })
  if (urlChanged(found, run.url)) {
    changes.push({ description: `set the URL of remote ${p.remote} in ${p.dest} from ${found.url} to ${p.repo}`, data: { script: `${cd}\n${run.git} remote set-url ${shq(p.remote)} ${shq(run.url)}` } })
  }
  if (found.head !== after) {
    changes.push({ description: `update ${p.dest} from ${found.head ?? 'no commit'} to ${p.version === 'HEAD' ? '' : `${p.version} `}${after}`, data: { script: `${cd}\n${checkoutScript(run, p, found)}` } })
  }
  return changes
}
