import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { shq, shqAlways } from '../../src/shell/index.js'

// What sh makes of a quoted word: the one argument printf receives, read back exactly.
const shReads = (word: string): string => execFileSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' })

const HOSTILE = ["it's", 'a b', '$(touch /tmp/x)', '`id`', 'line\nbreak', '*', "''", '-n', '', 'back\\slash', '"dq"', '~root', '#c']

describe('shq and shqAlways', () => {
  it('each gives one sh word whose value is exactly the input', () => {
    for (const value of [...HOSTILE, 'plain', '/usr/local/pgsql', 'user@host:5432']) {
      expect(shReads(shq(value))).toBe(value)
      expect(shReads(shqAlways(value))).toBe(value)
    }
  })

  it('shq leaves a word of safe characters bare, so commands stay readable', () => {
    expect(shq('/etc/postgresql/13/main/pg_hba.conf')).toBe('/etc/postgresql/13/main/pg_hba.conf')
    expect(shq('postgres:postgres')).toBe('postgres:postgres')
    expect(shq("it's")).toBe(`'it'\\''s'`)
    expect(shq('')).toBe(`''`)
    expect(shq('~root')).toBe(`'~root'`)
  })

  it('shqAlways quotes every value, safe characters too', () => {
    expect(shqAlways('0600')).toBe(`'0600'`)
    expect(shqAlways("it's")).toBe(`'it'\\''s'`)
    expect(shqAlways('')).toBe(`''`)
  })
})
