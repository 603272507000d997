// The shell side of the git module: what plan reads of a checkout and of the remote (git ls-remote), the
// version resolved to a commit as Ansible's git module resolves it (a branch's head, a tag's commit, the
// remote's HEAD for a clone, the checked-out branch's head for an update, else the version as a commit),
// and the clone, fetch and checkout commands Ansible's module runs for each case.
import { posix } from 'node:path'
import { shq } from '../../shell/index.js'

export interface GitRun {
  /** git, quoted for sh. */
  git: string
  /** The repo as git is given it (a path as a file:// URL). */
  url: string
  remote: string
  env: Record<string, string>
  /** `umask N\n`, or ''. */
  umask: string
}

/** What plan found: the checkout in dest, if any, and the remote's refs. */
export interface Checkout {
  exists: boolean
  /** HEAD's commit (none in an empty clone). */
  head?: string
  /** The checked-out branch, or the remote's HEAD branch when detached. */
  branch?: string
  url?: string
  /** Tracked files differ from HEAD. */
  modified: boolean
  /** The version resolved to a commit in the checkout (a commit given short). */
  local?: string
  localBranch: boolean
  /** ls-remote of the repo: ref -> commit (HEAD, refs/heads/x, refs/tags/v, refs/tags/v^{}). */
  refs: Map<string, string>
}

interface Wanted {
  dest?: string
  bare: boolean
  version: string
  depth?: number
  refspec?: string
  reference?: string
  single_branch: boolean
  recursive: boolean
  force: boolean
}

/** The script plan runs: `key value` lines about the checkout, then `refs` and git ls-remote's lines. */
export function readScript(run: GitRun, dest: string | undefined, bare: boolean, version: string): string {
  const lines = []
  if (dest !== undefined) {
    const { git } = run
    const v = shq(version)
    const marker = bare ? `[ -f ${shq(posix.join(dest, 'config'))} ]` : `[ -e ${shq(posix.join(dest, '.git'))} ]`
    lines.push(
      `if ${marker}; then cd ${shq(dest)} || exit 1`,
      'echo exists',
      `h=$(${git} rev-parse -q --verify HEAD) && echo "head $h"`,
      `${currentBranch(run)} && echo "branch $b"`,
      `u=$(${git} config --get remote.${shq(run.remote)}.url) && echo "url $u"`,
      bare ? '' : `[ -n "$(${git} status --porcelain --untracked-files=no)" ] && echo modified`,
      version === 'HEAD' ? '' : `s=$(${git} rev-parse -q --verify ${shq(`${version}^{commit}`)}) && echo "local $s"`,
      `${git} show-ref -q --verify refs/heads/${v} && echo localbranch`,
      'fi',
    )
  }
  lines.push('echo refs', `${run.git} ls-remote ${shq(run.url)}`)
  return lines.filter(Boolean).join('\n')
}

/** Sets $b to the checked-out branch, else (detached) the branch of the remote's HEAD; fails when neither. */
function currentBranch(run: GitRun): string {
  return `{ b=$(${run.git} symbolic-ref -q --short HEAD) || { b=$(${run.git} symbolic-ref -q --short refs/remotes/${shq(run.remote)}/HEAD) && b=\${b#${shq(run.remote)}/}; }; }`
}

export function parseCheckout(stdout: string): Checkout {
  const found: Checkout = { exists: false, modified: false, localBranch: false, refs: new Map() }
  const lines = stdout.split('\n')
  const at = lines.indexOf('refs')
  for (const line of lines.slice(0, at)) {
    const [key, ...rest] = line.split(' ')
    const value = rest.join(' ')
    if (key === 'exists') found.exists = true
    else if (key === 'modified') found.modified = true
    else if (key === 'localbranch') found.localBranch = true
    else if (key === 'head') found.head = value
    else if (key === 'branch') found.branch = value
    else if (key === 'url') found.url = value
    else if (key === 'local') found.local = value
  }
  for (const line of lines.slice(at + 1)) {
    const [sha, ref] = line.split('\t')
    if (sha && ref) found.refs.set(ref, sha)
  }
  return found
}

const isBranch = (found: Checkout, version: string) => found.refs.has(`refs/heads/${version}`)
const isTag = (found: Checkout, version: string) => found.refs.has(`refs/tags/${version}`)

/** The commit the version names, as Ansible's get_remote_head finds it; undefined when the remote has none. */
export function resolveVersion(version: string, found: Checkout): string | undefined {
  const { refs } = found
  if (version === 'HEAD') return found.exists && found.branch !== undefined ? refs.get(`refs/heads/${found.branch}`) : refs.get('HEAD')
  if (isBranch(found, version)) return refs.get(`refs/heads/${version}`)
  if (isTag(found, version)) return refs.get(`refs/tags/${version}^{}`) ?? refs.get(`refs/tags/${version}`)
  // A commit: the remote cannot be asked for one, so it stands as given (full, when the checkout knows it).
  return found.local ?? version
}

/** Clones into dest (run from its parent, made first) and checks out the version: Ansible's clone(). */
export function cloneScript(run: GitRun, p: Wanted & { dest: string }, found: Checkout, parent: string): string {
  const { git, remote } = run
  const fetchable = p.version !== 'HEAD' && (isBranch(found, p.version) || isTag(found, p.version))
  const flags = [p.bare ? '--bare' : `--origin ${shq(remote)}`]
  if (p.depth !== undefined && (p.version === 'HEAD' || p.refspec !== undefined || fetchable)) flags.push(`--depth ${p.depth}`)
  if (p.reference !== undefined) flags.push(`--reference ${shq(p.reference)}`)
  if (p.single_branch) flags.push('--single-branch')
  if (fetchable && (p.single_branch || p.depth !== undefined)) flags.push(`--branch ${shq(p.version)}`)
  const lines = [`mkdir -p -- ${shq(parent)}`, `cd ${shq(parent)}`, `${git} clone ${flags.join(' ')} -- ${shq(run.url)} ${shq(p.dest)}`, `cd ${shq(p.dest)}`]
  if (p.bare && remote !== 'origin') lines.push(`${git} remote add ${shq(remote)} ${shq(run.url)}`)
  if (p.refspec !== undefined) lines.push(`${git} fetch ${p.depth !== undefined ? `--depth ${p.depth} ` : ''}${shq(remote)} ${shq(p.refspec)}`)
  return [...lines, ...switchVersion(run, p, found)].join('\n')
}

/** Fetches and checks out the version in an existing clone (the cwd): Ansible's fetch() and switch_version(). */
export function checkoutScript(run: GitRun, p: Wanted, found: Checkout): string {
  const { git, remote } = run
  const v = p.version
  let refspecs: string[] = []
  if (p.depth !== undefined) {
    if (p.refspec !== undefined) refspecs = [p.refspec]
    else if (v === 'HEAD') refspecs = found.branch === undefined ? [] : [found.branch]
    else if (isBranch(found, v)) refspecs = [...(found.branch === v ? [] : [`+refs/heads/${v}:refs/heads/${v}`]), `+refs/heads/${v}:refs/remotes/${remote}/${v}`]
    else if (isTag(found, v)) refspecs = [`+refs/tags/${v}:refs/tags/${v}`]
  }
  const flags = refspecs.length > 0 ? [`--depth ${p.depth}`] : []
  if (refspecs.length === 0) {
    if (p.bare) refspecs = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']
    else flags.push('--tags')
    if (p.refspec !== undefined) refspecs.push(p.refspec)
  }
  if (p.force) flags.push('--force')
  return [`${git} fetch ${flags.join(' ')} ${shq(remote)} ${refspecs.map(shq).join(' ')}`, ...switchVersion(run, p, found)].join('\n')
}

/** Checks out the version (not in a bare repository), then the submodules when recursive. */
function switchVersion(run: GitRun, p: Wanted, found: Checkout): string[] {
  if (p.bare) return []
  const { git, remote } = run
  const v = shq(p.version)
  const r = shq(remote)
  const lines: string[] = []
  if (p.version === 'HEAD') {
    lines.push(currentBranch(run), `${git} checkout --force "$b" --`, `${git} reset --hard ${r}/"$b" --`)
  } else if (isBranch(found, p.version)) {
    if (p.depth !== undefined) lines.push(`${git} show-ref -q --verify refs/heads/${v} || ${git} fetch --depth=${p.depth} ${r} ${shq(`+refs/heads/${p.version}:refs/heads/${p.version}`)} ${shq(`+refs/heads/${p.version}:refs/remotes/${remote}/${p.version}`)}`)
    lines.push(`if ${git} show-ref -q --verify refs/heads/${v}; then ${git} checkout --force ${v} -- && ${git} reset --hard ${r}/${v} --; else ${git} checkout --track -b ${v} ${r}/${v} --; fi`)
  } else {
    lines.push(`${git} checkout --force ${v} --`)
  }
  if (p.recursive) lines.push(`if [ -f .gitmodules ]; then ${git} submodule sync --recursive && ${git} submodule update --init --recursive${p.force ? ' --force' : ''}; fi`)
  return lines
}
