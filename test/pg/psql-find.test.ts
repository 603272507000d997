// Which psql the psql route runs when the task names no bindir: the one on the PATH when it runs, and not
// a psql that cannot (Debian's pg_wrapper without any postgresql-client-<N>, installed with pgBackRest
// beside a server built from source into /usr/local/pgsql).
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { psqlCommand } from '../../src/pg/psql.js'

/** The psql the command would run, with `script` as the only psql on the PATH. */
function chosen(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-psql-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'psql'), `#!/bin/sh\n${script}\n`)
  chmodSync(join(dir, 'psql'), 0o755)
  const cmd = psqlCommand({ port: 5432, user: 'postgres', database: 'postgres' })
  // Everything up to the run itself: finding psql and the socket directory.
  const find = cmd.slice(0, cmd.indexOf('PGCONNECT_TIMEOUT'))
  return execFileSync('sh', ['-c', `${find} printf %s "$p"`], { env: { PATH: `${dir}:/usr/bin:/bin` } }).toString()
}

describe('the psql route without bindir', () => {
  it('runs the psql on the PATH when it works', () => {
    expect(chosen('echo "psql (PostgreSQL) 15.18"')).toMatch(/\/pgha-psql-[^/]+\/psql$/)
  })

  it('passes over a psql on the PATH that cannot run, for one of the usual install directories', () => {
    const p = chosen('echo "Error: You must install at least one postgresql-client-<version> package" >&2; exit 1')
    expect(p).not.toMatch(/pgha-psql-/)
    expect(p).toMatch(/^(|\/usr\/local\/pgsql\/bin\/psql|\/usr\/pgsql-[^/]+\/bin\/psql|\/usr\/lib\/postgresql\/[^/]+\/bin\/psql)$/)
  })
})
