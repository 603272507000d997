// Ansible's free-form arguments: key=value text, and command lines with a few key=value options.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseFreeForm, splitArgs } from '../../src/playbook/index.js'
import { ansiblePython } from '../engine/ansible-oracle.js'
import { load } from './load-text.js'

const command = (text: string) => parseFreeForm(text, { rawKey: 'cmd', knownKeys: new Set(['cmd', 'creates', 'removes', 'chdir']) }).args

describe('free-form arguments', () => {
  it('takes the declared options out of a command line and keeps the rest as the command', () => {
    expect(command('echo {{ x }} creates=/tmp/a')).toEqual({ cmd: 'echo {{ x }}', creates: '/tmp/a' })
    expect(command('chdir=/srv make   install')).toEqual({ cmd: 'make   install', chdir: '/srv' })
    expect(command('psql -c "select 1" removes=/x chdir=/tmp')).toEqual({ cmd: 'psql -c "select 1"', removes: '/x', chdir: '/tmp' })
  })

  it('leaves undeclared key=value words in the command', () => {
    expect(command('env FOO=bar ./run creates=/done')).toEqual({ cmd: 'env FOO=bar ./run', creates: '/done' })
    expect(command('echo cmd=1')).toEqual({ cmd: 'echo cmd=1' })
  })

  it('parses key=value text, keeping quoted values whole without their quotes', () => {
    expect(parseFreeForm('src=a dest=/b mode=0644').args).toEqual({ src: 'a', dest: '/b', mode: '0644' })
    expect(parseFreeForm(`msg="hello world" other='a b' opts=a=b`).args).toEqual({ msg: 'hello world', other: 'a b', opts: 'a=b' })
    expect(parseFreeForm('msg={{ a ~ " " ~ b }} x=1').args).toEqual({ msg: '{{ a ~ " " ~ b }}', x: '1' })
  })

  // Roles write aliases with a hyphen (geerlingguy.varnish's `systemd: daemon-reload=true`).
  it.skipIf(!ansiblePython)("takes as key what precedes the first unescaped '=', as Ansible's parse_kv does", () => {
    const texts = ['daemon-reload=true name=x', 'a.b=1 c-d=2', 'x\\=y=2', 'path=/a=b', '{{ k }}=v', '==x', 'k="a b" w=\'c d\'']
    const py = `import json,sys\nfrom ansible.parsing.splitter import parse_kv\nprint(json.dumps([parse_kv(t) for t in json.load(sys.stdin)]))`
    const ansible = JSON.parse(spawnSync(ansiblePython!, ['-c', py], { input: JSON.stringify(texts), encoding: 'utf8' }).stdout) as Record<string, string>[]
    expect(texts.map((t) => parseFreeForm(t).args)).toEqual(ansible)
    // A word without such an '=' is not key=value for either (Ansible's _raw_params, refused by a module without free form).
    expect(parseFreeForm('=a').stray.map((t) => t.raw)).toEqual(['=a'])
  })

  it('reports words that are not key=value, with their offset', () => {
    const ff = parseFreeForm('hello dest=/b')
    expect(ff.stray.map((t) => [t.raw, t.start])).toEqual([['hello', 0]])
    expect(ff.offsets.get('dest')).toBe(11)
  })

  it('splits on blanks outside quotes and templates', () => {
    expect(splitArgs(`a "b c" {{ d e }}x 'f\\' g'`).map((t) => t.raw)).toEqual(['a', '"b c"', '{{ d e }}x', `'f\\' g'`])
  })
})

describe("an unnamed task's title", () => {
  // The title is cut at 60 characters: a password left in it would show partly, which no scrub finds.
  it("masks the module's own secret arguments (uri's url_password) as it masks password and login_password", () => {
    const pb = load(`- hosts: all
  tasks:
    - uri: url=http://127.0.0.1:9/x url_username=u url_password=Zq7-very-long-secret-value-that-would-be-cut
    - postgresql_query: query="select 1" login_password=Zq7-another-long-secret
`)
    const names = pb.plays[0].tasks.map((t) => t.displayName)
    expect(names[0]).toContain('url_password=')
    expect(names.join('\n')).not.toContain('Zq7')
  })
})
