// git against ansible-playbook's git module on a local bare repository made in the test (commits dated so
// that both sides clone the same commits): the same status per task (clone, tag, branch, update, local
// modifications refused then discarded, shallow clone, check mode) and the same checkout left behind.
import { describe, expect, it } from 'vitest'
import { bothSides, dirlessStatuses, haveAnsible, statuses } from './ansible-differential.js'
import { getModule } from '../../src/modules/index.js'

// A repository in DIR/.src/origin.git (hidden: the sides' files are compared, not its objects) with main
// at c2, a branch stable and an annotated tag v1 at c1; `bump` adds c3 to stable.
const GIT = 'GIT_AUTHOR_DATE=2020-01-01T00:00:00Z GIT_COMMITTER_DATE=2020-01-01T00:00:00Z git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main'
const SEED = {
  'bin/make-origin': `#!/bin/sh\nset -e\ncd DIR && mkdir -p .src && cd .src && ${GIT} init -q work && cd work\necho one > f && ${GIT} add f && ${GIT} commit -qm c1 && ${GIT} tag -a v1 -m v1 && ${GIT} branch stable\necho two > f && ${GIT} commit -qam c2\ncd .. && ${GIT} clone -q --bare work origin.git\n`,
  'bin/bump': `#!/bin/sh\nset -e\ncd DIR/.src/work && ${GIT} checkout -q stable && echo three > f && ${GIT} commit -qam c3 && ${GIT} push -q ../origin.git stable\n`,
}

const TASKS = `
    - name: origin
      command: DIR/bin/make-origin
    - name: clone at HEAD
      git: { repo: DIR/.src/origin.git, dest: DIR/work }
    - name: clone again
      git: { repo: DIR/.src/origin.git, dest: DIR/work }
    - name: the tag
      git: { repo: DIR/.src/origin.git, dest: DIR/work, version: v1 }
    - name: the tag again
      git: { repo: DIR/.src/origin.git, dest: DIR/work, version: v1 }
    - name: the branch at the tag's commit
      git: { repo: DIR/.src/origin.git, dest: DIR/work, version: stable }
    - name: a commit on the branch
      command: DIR/bin/bump
    - name: the branch moved
      git: { repo: DIR/.src/origin.git, dest: DIR/work, version: stable }
    - name: local change
      shell: echo mine > DIR/work/f
    - name: refused over a local change
      git: { repo: DIR/.src/origin.git, dest: DIR/work, version: stable }
      ignore_errors: true
    - name: forced over a local change
      git: { repo: DIR/.src/origin.git, dest: DIR/work, version: stable, force: true }
    - name: shallow clone of the branch
      git: { repo: DIR/.src/origin.git, dest: DIR/shallow, version: stable, depth: 1 }
    - name: shallow clone again
      git: { repo: DIR/.src/origin.git, dest: DIR/shallow, version: stable, depth: 1 }
    - name: what is checked out
      shell: "cd DIR && git -C work log --format=%s > work.log && git -C shallow log --format=%s > shallow.log && git -C work rev-parse --abbrev-ref HEAD > work.branch"
`

const CHECK_TASKS = `
    - name: origin
      command: DIR/bin/make-origin
      check_mode: false
    - name: clone in check mode
      git: { repo: DIR/.src/origin.git, dest: DIR/work, version: v1 }
`

describe.skipIf(!haveAnsible)('git, as ansible-playbook', () => {
  it('clones, follows tags and branches, refuses then discards local changes, clones shallow', async () => {
    const { ansible, pgha } = await bothSides(TASKS, { seed: SEED })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(statuses(pgha)).toEqual([
      'origin: changed', 'clone at HEAD: changed', 'clone again: ok', 'the tag: changed', 'the tag again: ok',
      'the branch at the tag\'s commit: ok', 'a commit on the branch: changed', 'the branch moved: changed', 'local change: changed',
      'refused over a local change: failed', 'forced over a local change: changed', 'shallow clone of the branch: changed',
      'shallow clone again: ok', 'what is checked out: changed',
    ])
    expect(pgha.tasks[9].msg).toMatch(/^Local modifications exist in the destination: .*\/work \(force=no\)\.$/)
    expect(pgha.files).toMatchObject({ 'work/f': 'three\n', 'work.log': 'c3\nc1\n', 'shallow.log': 'c3\n', 'work.branch': 'stable\n' })
    expect(pgha.files).toEqual(ansible.files)
  }, 300_000)

  it('in check mode reports the clone and makes nothing', async () => {
    const { ansible, pgha } = await bothSides(CHECK_TASKS, { seed: SEED, check: true })
    expect(statuses(pgha)).toEqual(statuses(ansible))
    expect(statuses(pgha)).toEqual(['origin: changed', 'clone in check mode: changed'])
    expect(Object.keys(pgha.files).filter((f) => f.startsWith('work'))).toEqual([])
  }, 300_000)
})

describe('git parameters', () => {
  const parse = (args: Record<string, unknown>) => getModule('git')!.params.safeParse(args)
  it("refuses a repo or version that git would read as an option, a clone without dest, and both host key options", () => {
    expect(parse({ repo: '-oProxyCommand=touch /tmp/x', dest: '/srv/x' }).error?.issues[0].message).toBe("repo cannot begin with '-'")
    expect(parse({ repo: 'https://example.com/r.git', dest: '/srv/x', version: '--help' }).error?.issues[0].message).toBe("version cannot begin with '-'")
    expect(parse({ repo: 'https://example.com/r.git' }).error?.issues[0].message).toBe('the destination directory must be specified unless clone=no')
    expect(parse({ repo: 'https://example.com/r.git', clone: false }).success).toBe(true)
    expect(parse({ repo: 'r', dest: '/x', accept_hostkey: true, accept_newhostkey: true }).error?.issues[0].message).toBe('parameters are mutually exclusive: accept_hostkey|accept_newhostkey')
    expect(parse({ repo: 'r', dest: '/x', umask: 22 }).success).toBe(false)
  })
})
