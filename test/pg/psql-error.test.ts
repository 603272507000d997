// What a failed psql run says in a task's or `pgha status`'s message: PostgreSQL's reason, without psql's
// framing, nor the notice it prints when it runs as postgres in root's home (sudo keeps the directory).
import { describe, expect, it } from 'vitest'
import { psqlError } from '../../src/pg/psql.js'

describe('psqlError', () => {
  it('keeps the reason a server did not answer and drops the notice about the working directory', () => {
    const stderr = [
      'could not change directory to "/root": Permission denied',
      'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory',
      '\tIs the server running locally and accepting connections on that socket?',
      '',
    ].join('\n')
    expect(psqlError(stderr)).toBe('connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?')
  })

  it('takes out the statement prefix and the SQLSTATE of an error', () => {
    expect(psqlError('psql:<stdin>:4: ERROR:  42P01: relation "nope" does not exist\nLOCATION:  parserOpenTable, parse_relation.c:1392\n')).toBe('ERROR:  relation "nope" does not exist')
  })
})
