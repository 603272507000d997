// Host output is data: escape sequences a host prints (clear screen, window title, OSC 52 clipboard
// writes, 8-bit CSI, cursor moves, a lone carriage return that overwrites a line, bidi overrides) never
// reach the controller's terminal. Plain and TTY output show them as visible escapes (`\x1b[2J`); JSON
// keeps the exact data, escaped, with no raw control byte in the document.
import { describe, expect, it } from 'vitest'
import { LOCAL_INVENTORY, pgha, pghaOnTty, project } from './hostile-project.js'

/** Each hostile sequence as printf(1) writes it, and the raw bytes that must not be printed. */
const SEQUENCES: [string, string, string][] = [
  ['clear screen (CSI 2J)', '\\033[2J\\033[H', '\u001b[2J'],
  ['window title (OSC 0)', '\\033]0;owned\\007', '\u001b]0;owned'],
  ['clipboard write (OSC 52)', '\\033]52;c;cm0gLXJmIH4K\\007', '\u001b]52;'],
  ['8-bit CSI (C1 0x9b)', '\\302\\2332J', '\u009b2J'],
  ['hidden text (SGR 8)', '\\033[8mhidden', '\u001b[8m'],
  ['cursor up and erase line', '\\033[1A\\033[2K', '\u001b[1A'],
  ['lone carriage return overwriting the line', 'all good\\rFAKE', 'good\rFAKE'],
  ['right-to-left override', '\\342\\200\\256evil', '\u202eevil'],
]

function hostile(seq: string) {
  const p = project({
    'inv.ini': LOCAL_INVENTORY,
    'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: stdout
      command: printf 'out ${seq} end'
      register: said
    - name: printed
      debug: { msg: "{{ said.stdout }}" }
    - name: failing with stderr
      shell: printf 'err ${seq} end' >&2; exit 3
`,
  }, 'escapes')
  return { p, args: ['run', p.path('site.yml'), '-i', p.path('inv.ini'), '-v'] }
}

describe.each(SEQUENCES)('%s from a host', (_label, seq, raw) => {
  it('plain output shows it escaped, never raw (stdout, debug, failure stderr)', async () => {
    const { p, args } = hostile(seq)
    const r = await pgha([...args, '-o', 'plain'], p.dir)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stdout.includes(raw)).toBe(false)
    expect(r.stderr.includes(raw)).toBe(false)
    // NO_COLOR: pgha itself prints no escape at all, so any ESC, C1 or override came from the host.
    expect(r.stdout).not.toMatch(/[\u001b\u0080-\u009f\u202a-\u202e]|\r(?!\n)/)
    expect(r.stdout).toContain('out ')
    expect(r.stdout).toMatch(/err .*\\x|err .*\\u/)
  }, 30_000)

  it('the terminal (listr2 on a pty) never receives it', async () => {
    const { p, args } = hostile(seq)
    const r = await pghaOnTty([...args, '-o', 'tty'], p.dir)
    expect(r.stdout.includes(raw)).toBe(false)
    expect(r.stdout).toMatch(/failing with stderr/)
  }, 30_000)

  it('JSON keeps the exact bytes as escaped data, with no raw control character in the document', async () => {
    const { p, args } = hostile(seq)
    const r = await pgha([...args, '-o', 'json'], p.dir)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/)
    const doc = JSON.parse(r.stdout) as { plays: { tasks: { name: string; hosts: Record<string, { result: { stdout?: string; stderr?: string } }> }[] }[] }
    const task = (name: string) => doc.plays[0].tasks.find((t) => t.name === name)!.hosts.node1.result
    expect(task('stdout').stdout).toContain(raw)
    expect(task('failing with stderr').stderr).toContain(raw)
  }, 30_000)
})
