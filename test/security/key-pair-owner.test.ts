// The postgres key pair of playbooks/ssh-keys.yml is made as postgres, never as root: ~/.ssh belongs to
// postgres, so root writing a key file there (ssh-keygen) or chowning one would follow a symlink postgres
// put in its place, and hand postgres a file of root's (chown of /etc/shadow) or overwrite it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { expect, it } from 'vitest'

interface Task { name?: string; command?: unknown; shell?: unknown; slurp?: { src?: string }; become_user?: string; args?: { creates?: string } }

it('makes the postgres key pair as postgres, with no shell and no chown by root', () => {
  const plays = parse(readFileSync(join(__dirname, '../../playbooks/ssh-keys.yml'), 'utf8')) as { become?: boolean; tasks: Task[] }[]
  const tasks = plays.flatMap((p) => p.tasks)
  const makers = tasks.filter((t) => String(t.command ?? t.shell ?? '').includes('ssh-keygen'))
  expect(makers).toHaveLength(1)
  expect(makers[0].become_user).toBe('{{ postgres_user }}')
  expect(makers[0].shell).toBeUndefined()
  expect(tasks.filter((t) => /\bchown\b/.test(String(t.command ?? t.shell ?? '')))).toEqual([])
})

it("reads postgres's public key as postgres: root would read the file a symlink there names and send it to the peers", () => {
  const plays = parse(readFileSync(join(__dirname, '../../playbooks/ssh-keys.yml'), 'utf8')) as { tasks: Task[] }[]
  const reads = plays.flatMap((p) => p.tasks).filter((t) => t.slurp?.src?.startsWith('{{ postgres_home }}'))
  expect(reads).toHaveLength(1)
  expect(reads[0].become_user).toBe('{{ postgres_user }}')
})
