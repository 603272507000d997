// A temp project holding the secrets fixture: random secret values, the playbook with its placeholders
// filled, and an inventory that either marks the values secret or, as the control, holds the same values
// under plain names (and no_log: false), so every assertion that a value is hidden can also fail.
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const fixtures = resolve(__dirname, '../fixtures/secrets')

export interface Secrets {
  become: string
  db: string
  token: string
  repl: string
  noLog: string
}

export interface SecretsProject {
  dir: string
  playbook: string
  inventory: string
  secrets: Secrets
}

/** How the host is reached: locally, or over SSH (a private sshd on loopback). */
export type HostLine = Record<string, string | number>

const unique = (label: string): string => `${label}-${randomBytes(6).toString('hex')}`

export function newSecrets(): Secrets {
  return { become: unique('become'), db: unique('db'), token: unique('token'), repl: unique('repl'), noLog: unique('nolog') }
}

/** `marked`: the values are secret (become password, *_password, *_token, secret_vars, no_log); else the control. */
export function secretsProject(secrets: Secrets, marked: boolean, host: HostLine = { ansible_connection: 'local' }): SecretsProject {
  const dir = mkdtempSync(join(tmpdir(), `pgha-secrets-${marked ? 'marked' : 'control'}-`))
  const all = [secrets.db, secrets.token, secrets.repl, secrets.become]
  const fill = (text: string): string =>
    text.replaceAll('__DIR__', dir).replaceAll('__NOLOG_FLAG__', String(marked)).replaceAll('__NOLOG__', secrets.noLog).replaceAll('__VALUES__', all.join(' '))
  writeFileSync(join(dir, 'site.yml'), fill(readFileSync(join(fixtures, 'site.yml'), 'utf8')))
  copyFileSync(join(fixtures, 'secrets.conf.hbs'), join(dir, 'secrets.conf.hbs'))
  // Files that exist before the run, so the diffs have a 'before' side holding the secrets too.
  writeFileSync(join(dir, 'copied.txt'), fill(readFileSync(join(fixtures, 'before.txt'), 'utf8')))
  writeFileSync(join(dir, `hidden-${secrets.noLog}.txt`), `before ${secrets.noLog}\n`)
  const vars = marked
    ? {
        ansible_become_password: secrets.become, db_password: secrets.db, api_token: secrets.token, repl_key: secrets.repl,
        secret_vars: ['repl_key'],
        v_db: '{{ db_password }}', v_tk: '{{ api_token }}', v_repl: '{{ repl_key }}', v_become: '{{ ansible_become_password }}',
      }
    : { v_db: secrets.db, v_tk: secrets.token, v_repl: secrets.repl, v_become: secrets.become }
  const inventory = { all: { hosts: { hostA: host }, vars: { ...vars, v_all: '{{ v_db }} {{ v_tk }} {{ v_repl }} {{ v_become }}' } } }
  writeFileSync(join(dir, 'inventory.yml'), JSON.stringify(inventory, null, 2))
  return { dir, playbook: join(dir, 'site.yml'), inventory: join(dir, 'inventory.yml'), secrets }
}

/** Each secret by name, for messages that say which one leaked. */
export function secretList(s: Secrets): [string, string][] {
  return Object.entries(s)
}
