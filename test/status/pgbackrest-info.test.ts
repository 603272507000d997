// What `pgha status` takes from `pgbackrest info --output=json` (pgBackRest 2.45's own output, saved from
// the lab): the stanza's status and its newest backup, whatever order the backups are listed in; output
// that is not pgBackRest's JSON is an error naming what was printed.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePgbackrestInfo, pgbackrestInfoCommand } from '../../src/status/pgbackrest-info.js'

const fixture = (name: string): string => readFileSync(resolve(__dirname, 'fixtures/pgbackrest', name), 'utf8')

describe('parsePgbackrestInfo', () => {
  it('a full and a diff backup: the newest is the diff, by its stop time', () => {
    expect(parsePgbackrestInfo(fixture('info-full-and-diff.json'), 'pgha')).toEqual({
      stanza: 'pgha', statusCode: 0, statusMessage: 'ok',
      last: { label: '20261206-104153F_20261206-104441D', type: 'diff', stoppedAt: 1796553885 },
    })
  })

  it('the newest by stop time even when listed first', () => {
    const doc = JSON.parse(fixture('info-full-and-diff.json')) as { backup: unknown[] }[]
    doc[0].backup.reverse()
    expect(parsePgbackrestInfo(JSON.stringify(doc), 'pgha').last?.label).toBe('20261206-104153F_20261206-104441D')
  })

  it('a stanza without backups, and a stanza that does not exist', () => {
    expect(parsePgbackrestInfo(fixture('info-no-backup.json'), 'pgha')).toEqual({ stanza: 'pgha', statusCode: 2, statusMessage: 'no valid backups', last: null })
    expect(parsePgbackrestInfo(fixture('info-missing-stanza.json'), 'pgha')).toMatchObject({ statusCode: 1, statusMessage: 'missing stanza path', last: null })
  })

  it('refuses what is not its JSON, or JSON without the stanza', () => {
    expect(() => parsePgbackrestInfo('ERROR: [055]: unable to load info file', 'pgha')).toThrow(/printed no JSON: ERROR: \[055\]/)
    expect(() => parsePgbackrestInfo(fixture('info-full-and-diff.json'), 'other')).toThrow(/does not list stanza other/)
  })

  it('the command is bounded in time and quotes what it is given', () => {
    expect(pgbackrestInfoCommand('/usr/bin/pgbackrest', 'pgha')).toBe('timeout 20 /usr/bin/pgbackrest --stanza=pgha --output=json info')
    expect(pgbackrestInfoCommand('/usr/bin/pgbackrest', 'a b')).toBe("timeout 20 /usr/bin/pgbackrest --stanza='a b' --output=json info")
  })
})
