import { describe, expect, it } from 'vitest'
import { parseHostEntry } from '../../src/inventory/host-entry.js'
import { iniValue } from '../../src/inventory/python-literal.js'

describe('INI values are Python literals when they parse as one (ast.literal_eval), else text', () => {
  it.each([
    ['5', 5], ['-5', -5], ['1_000', 1000], ['1.5e3', 1500], ['.5', 0.5], ['0x1f', 31], ['0o17', 15], ['0b101', 5], ['0', 0], ['00', 0],
    ['True', true], ['False', false], ['None', null],
    ["'a b'", 'a b'], ['"tab\\there"', 'tab\there'], ["r'c:\\new'", 'c:\\new'], ["'a' 'b'", 'ab'], ["'''x'''", 'x'], ["'\\u00e9'", 'é'],
    ['[1, "two", [3]]', [1, 'two', [3]]], ['(1, 2)', [1, 2]], ['1, 2', [1, 2]], ["{'k': [1], 2: None}", { k: [1], 2: null }], ['{1, 2, 2}', [1, 2]], ['[]', []],
    ['5 # comment', 5],
  ])('%s', (text, value) => {
    expect(iniValue(text)).toEqual(value)
  })

  it.each(['true', 'yes', 'FALSE', 'null', '0123', '1.2.3', '12abc', '1j', 'foo', '/var/lib/pgsql', "'unclosed", '[1, 2', '{1: 2, 3}', 'f"x"', '192.168.100.10', ''])(
    '%s stays text',
    (text) => {
      expect(iniValue(text)).toBe(text)
    },
  )
})

describe('host entries', () => {
  it('expands ranges: numeric with or without padding, letters, steps, several in one name', () => {
    expect(parseHostEntry('node[1:3]').names).toEqual(['node1', 'node2', 'node3'])
    expect(parseHostEntry('www[08:10].x').names).toEqual(['www08.x', 'www09.x', 'www10.x'])
    expect(parseHostEntry('db-[a:c]').names).toEqual(['db-a', 'db-b', 'db-c'])
    expect(parseHostEntry('n[0:6:3]').names).toEqual(['n0', 'n3', 'n6'])
    expect(parseHostEntry('n[:1]').names).toEqual(['n0', 'n1'])
    expect(parseHostEntry('r[1:2]-[a:b]').names).toEqual(['r1-a', 'r1-b', 'r2-a', 'r2-b'])
  })

  it('splits a port off names, ranges and bracketed IPv6 addresses', () => {
    expect(parseHostEntry('node[1:2]:2222')).toEqual({ names: ['node1', 'node2'], port: 2222 })
    expect(parseHostEntry('[::1]:22')).toEqual({ names: ['::1'], port: 22 })
    expect(parseHostEntry('fe80::1')).toEqual({ names: ['fe80::1'] })
    expect(parseHostEntry('db.example.com')).toEqual({ names: ['db.example.com'] })
  })

  it.each([
    ['n[1:2:3:4]', "bad host range '[1:2:3:4]': expected [begin:end] or [begin:end:step]", 1],
    ['n[1:]', "bad host range '[1:]': the end is missing", 1],
    ['n[1:5:0]', "bad host range '[1:5:0]': the step '0' is not a positive integer", 1],
    ['n[01:5]', "bad host range '[01:5]': with leading zeros, begin and end must have the same width", 1],
    ['n[a:3]', "bad host range '[a:3]': begin and end must both be numbers or both be single letters", 1],
    ['n[c:a]', "bad host range '[c:a]': begin comes after end", 1],
    ['n[1:1000000]', "bad host range '[1:1000000]': it would make more than 100000 hosts", 1],
    ['n[1:2]x[3:1]', "bad host range '[3:1]': begin is greater than end", 7],
    ['db:99999', 'port 99999 is out of range (1-65535)', 3],
    ['---', "host '---' looks like the start of a YAML document: is this file YAML?", 0],
  ])('%s is refused at its offset', (entry, message, offset) => {
    expect(() => parseHostEntry(entry)).toThrow(expect.objectContaining({ message, offset }))
  })
})
