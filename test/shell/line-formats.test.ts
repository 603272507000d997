// One function per line-oriented format: a value is refused when it holds a line break (or a separator the
// format cannot quote) and quoted where the format can quote it.
import { describe, expect, it } from 'vitest'
import { PghaError } from '../../src/errors.js'
import {
  chpasswdLine, confQuote, confValue, conninfo, dbnameArg, hbaField, hostsField, LineFormatError, sudoersWord, unitValue, unitWord,
} from '../../src/shell/index.js'

const refused = (fn: () => unknown, says: string) => {
  expect(fn).toThrow(LineFormatError)
  expect(fn).toThrow(says)
}

describe('chpasswd', () => {
  it('is one NAME:HASH line; a newline or colon in either field is refused, and the hash never shows', () => {
    expect(chpasswdLine('bob', '$6$s$h')).toBe('bob:$6$s$h\n')
    refused(() => chpasswdLine('bob', '$6$s$h\nroot:$6$x$evil'), 'a value cannot be written into a chpasswd line')
    refused(() => chpasswdLine('bob', 'a:b'), 'crypt hash')
    refused(() => chpasswdLine('root:x', 'h'), '"root:x" cannot be written')
    try {
      chpasswdLine('bob', 'SECRETHASH\n')
    } catch (err) {
      expect((err as Error).message).not.toContain('SECRETHASH')
      expect(err).toBeInstanceOf(PghaError)
    }
  })
})

describe('PostgreSQL configuration files', () => {
  it("quotes with '' and \\\\, and refuses a line break", () => {
    expect(confQuote("it's")).toBe("'it''s'")
    expect(confQuote('a\\b')).toBe("'a\\\\b'")
    refused(() => confQuote('x\nevil = 1'), 'it contains a line break')
  })
  it('keeps a value already written in the file syntax, quotes anything else', () => {
    for (const v of ['on', 'replica', '10', '256MB', '1.5', "'*'", "'/bin/true'", 'pg_catalog.english', '-1']) expect(confValue(v)).toBe(v)
    expect(confValue('/bin/true')).toBe("'/bin/true'")
    expect(confValue("'a' b='c'")).toBe("'''a'' b=''c'''")
    expect(confValue('on # comment')).toBe("'on # comment'")
  })
})

describe('libpq conninfo', () => {
  it('quotes values with spaces or quotes, in the usual keyword order', () => {
    expect(conninfo({ dbname: 'repmgr', user: 'repmgr', port: 5432, host: 'node1' })).toBe('host=node1 port=5432 user=repmgr dbname=repmgr')
    expect(conninfo({ host: 'node1 password=x', user: "o'k\\" })).toBe("host='node1 password=x' user='o\\'k\\\\'")
    expect(conninfo({ host: undefined, dbname: '' })).toBe("dbname=''")
    refused(() => conninfo({ host: 'a\nb' }), 'conninfo')
  })
  it('passes a database name holding = as dbname=... (a bare one would be read as a conninfo)', () => {
    expect(dbnameArg('repmgr')).toBe('repmgr')
    expect(dbnameArg('host=evil')).toBe("dbname='host=evil'")
    expect(dbnameArg('postgresql://evil/x')).toBe('dbname=postgresql://evil/x')
  })
})

describe('pg_hba.conf', () => {
  it('quotes keywords and separators, refuses what it cannot quote', () => {
    expect(hbaField('repmgr')).toBe('repmgr')
    expect(hbaField('all')).toBe('"all"')
    expect(hbaField('a b,c#d')).toBe('"a b,c#d"')
    refused(() => hbaField('x"y'), 'cannot escape')
    refused(() => hbaField('+admins'), 'group reference')
    refused(() => hbaField('@file'), 'file reference')
    refused(() => hbaField('r\nhost all all 0.0.0.0/0 trust'), 'line break')
  })
})

describe('/etc/hosts, sudoers', () => {
  it('refuse white space, comments, punctuation with a meaning', () => {
    expect(hostsField('10.0.0.1')).toBe('10.0.0.1')
    refused(() => hostsField('10.0.0.1 evil'), 'white space')
    refused(() => hostsField('a#b'), '"#"')
    expect(sudoersWord('/usr/bin/systemctl')).toBe('/usr/bin/systemctl')
    for (const v of ['%sudo', 'a,b', 'ALL=(ALL)', 'x y', '*', '!x', 'a\\:b', 'ALL', 'ADMINS']) refused(() => sudoersWord(v), 'sudoers rule')
    refused(() => sudoersWord('-H'), 'option')
  })
})

describe('systemd unit files', () => {
  it('settings: one line, no trailing backslash, % doubled', () => {
    expect(unitValue('50%')).toBe('50%%')
    refused(() => unitValue('postgres\\'), 'trailing')
    refused(() => unitValue('x\nExecStartPre=/bin/sh'), 'line break')
  })
  it('command words and environment assignments: quoted when needed, $ and % escaped', () => {
    expect(unitWord('/usr/bin/pg_ctl')).toBe('/usr/bin/pg_ctl')
    expect(unitWord('/a b/$X "q" \\ %h')).toBe('"/a b/$$X \\"q\\" \\\\ %%h"')
    expect(unitWord('-/bin/false')).toBe('"-/bin/false"')
    expect(unitWord('PGDATA=/a b $X', 'environment')).toBe('"PGDATA=/a b $X"')
  })
})
