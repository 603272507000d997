// The SQL lexer and what rests on it: the statements of a text as PostgreSQL splits them, whether psql
// would read a backslash as a command, %s placeholders, literals that read the same whatever
// standard_conforming_strings says, and which texts check mode may run as reads.
import { describe, expect, it } from 'vitest'
import { bindPlaceholders, hasPsqlBackslash, quoteLiteral, sqlStatements } from '../../src/pg/index.js'
import { statementKind, statementVerb } from '../../src/modules/lib/pg-statement.js'

describe('sqlStatements', () => {
  it.each([
    ["SELECT '--'; CREATE ROLE x", ["SELECT  ''", 'CREATE ROLE x']],
    ["SELECT '/*'; CREATE ROLE x; SELECT '*/'", ["SELECT  ''", 'CREATE ROLE x', "SELECT  ''"]],
    ['SELECT $$;$$; CREATE ROLE x', ["SELECT  ''", 'CREATE ROLE x']],
    ['SELECT $t$ $$; $t$; DROP x', ["SELECT  ''", 'DROP x']],
    ['SELECT 1 /* a /* b */ ; */ ; DROP x', ['SELECT 1', 'DROP x']],
    ["SELECT E'\\'; DROP x; --'", ["SELECT  ''"]],
    ['SELECT "a;b" FROM t; DROP x', ['SELECT  a;b  FROM t', 'DROP x']],
    ['SELECT $1, a$b$c; DROP x', ['SELECT $1, a$b$c', 'DROP x']],
  ])('%s', (sql, statements) => expect(sqlStatements(sql)).toEqual(statements))

  it("reads '...' with backslash escapes when standard_conforming_strings is off", () => {
    expect(sqlStatements("SELECT 'a\\'; DROP x; --'")).toEqual(["SELECT  ''", 'DROP x'])
    expect(sqlStatements("SELECT 'a\\'; DROP x; --'", { standardStrings: false })).toEqual(["SELECT  ''"])
  })
})

describe('statementKind (what check mode may run, inside a READ ONLY transaction)', () => {
  it.each([
    ['SELECT 1', 'read'],
    ["SELECT '--'; CREATE ROLE x", 'other'],
    ["SELECT '/*'; CREATE ROLE x; SELECT '*/'", 'other'],
    ["SELECT 'a\\'; CREATE ROLE x; --'", 'other'],
    ["SELECT 'x' /* ; */; SHOW work_mem", 'read'],
    ['WITH x AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT * FROM x', 'dml'],
    ["SELECT nextval('s')", 'other'],
    ['SELECT "dblink_exec"(\'c\', \'CREATE ROLE x\')', 'other'],
    ['SELECT pg_terminate_backend(123)', 'other'],
    ['SELECT * FROM t FOR UPDATE', 'other'],
    ['EXPLAIN ANALYZE DELETE FROM t', 'other'],
    ['SELECT 1 INTO t2', 'other'],
    ['DELETE FROM t', 'dml'],
    ['COMMIT', 'other'],
  ])('%s -> %s', (sql, kind) => expect(statementKind(sql)).toBe(kind))

  it('names the first keyword of the code, never a string', () => {
    expect(statementVerb("/* DROP */ 'x'; SELECT 1")).toBe('SQL')
    expect(statementVerb('  (SELECT 1)')).toBe('SELECT')
  })
})

describe('hasPsqlBackslash', () => {
  it('finds a backslash psql would read as a command, either way strings are read', () => {
    expect(hasPsqlBackslash('SELECT 1 \\! touch x')).toBe(true)
    expect(hasPsqlBackslash("SELECT 'a\\b'")).toBe(false)
    expect(hasPsqlBackslash("SELECT E'\\''")).toBe(false)
    expect(hasPsqlBackslash('SELECT $$ \\! $$')).toBe(false)
    expect(hasPsqlBackslash("SELECT 'a\\' \\! x'")).toBe(true)
    expect(hasPsqlBackslash("SELECT '\\'' \\! x'")).toBe(true)
  })
})

describe('bindPlaceholders and quoteLiteral', () => {
  it('turns %s in code into $n, %% into %, and refuses %s inside a constant', () => {
    expect(bindPlaceholders("SELECT %s, '100%%', %s -- %s", ['a', 'b'])).toBe("SELECT $1, '100%', $2 -- %s")
    expect(() => bindPlaceholders("SELECT '%s'", ['x'])).toThrow('is not a parameter')
    expect(() => bindPlaceholders('SELECT $q$%s$q$', ['x'])).toThrow('is not a parameter')
    expect(() => bindPlaceholders('SELECT %s', [])).toThrow('more %s placeholders')
  })

  it("writes E'...' for a value with a backslash, so it reads the same with standard_conforming_strings off", () => {
    expect(quoteLiteral("it's")).toBe("'it''s'")
    expect(quoteLiteral("\\'; DROP x; --")).toBe("E'\\\\''; DROP x; --'")
    expect(quoteLiteral(null)).toBe('NULL')
    expect(() => quoteLiteral('a\0b')).toThrow('NUL')
  })
})
