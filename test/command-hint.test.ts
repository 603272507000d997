// The commands pgha suggests are ones a user can paste into the shell of a fresh clone: `npx pgha ...`
// (pgha is not on the PATH after `npm ci`), with values the shell would split quoted.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pghaCommand } from '../src/command-hint.js'
import { projectRoot } from '../src/project-root.js'

describe('pghaCommand', () => {
  it('starts with npx pgha and keeps plain words as they are', () => {
    expect(pghaCommand('run', 'playbooks/rejoin.yml', '-i', 'inventory/lab.yml', '-e', 'node=node1'))
      .toBe('npx pgha run playbooks/rejoin.yml -i inventory/lab.yml -e node=node1')
  })

  it('quotes a value the shell would split or expand', () => {
    expect(pghaCommand('status', '-i', '/srv/my inventory/prod.yml')).toBe("npx pgha status -i '/srv/my inventory/prod.yml'")
    expect(pghaCommand('status', '-i', "it's $HOME")).toBe(`npx pgha status -i 'it'\\''s $HOME'`)
  })

  it('leaves a <placeholder> for the user to replace', () => {
    expect(pghaCommand('run', 'playbooks/rejoin.yml', '-e', 'node=<the one to discard>'))
      .toBe('npx pgha run playbooks/rejoin.yml -e node=<the one to discard>')
  })
})

describe('the shipped playbooks', () => {
  it('suggest commands as npx pgha, in their messages and in their comments', () => {
    const dir = join(projectRoot(), 'playbooks')
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yml'))
    const bare = files.flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n')
      .map((line, i) => ({ at: `playbooks/${f}:${i + 1}`, line }))
      .filter(({ line }) => /(?<!npx )\bpgha (run|render|status|inventory|lab|demo|doc)\b/.test(line)))
    expect(bare).toEqual([])
  })
})
