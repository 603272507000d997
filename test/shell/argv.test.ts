// commandLine: pgha's own flags first, a flag's value as the word after it, every operand after `--`, so
// a value can never be read as an option; pathOperand for the tools that have no `--`.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { commandLine, pathOperand } from '../../src/shell/index.js'

describe('commandLine', () => {
  it('puts operands after -- and values right after their flag, quoted for sh', () => {
    expect(commandLine('useradd', [['-g', '--prefix=/x'], '-r', false, undefined], ['-ouid0'])).toBe('useradd -g --prefix=/x -r -- -ouid0')
    expect(commandLine('systemctl start', [], ["it's.service"])).toBe(`systemctl start -- 'it'\\''s.service'`)
  })

  it('sh hands the tool exactly those words (printf shows each argument on its line)', () => {
    const line = commandLine("printf '%s\\n'", [['-c', 'a b\nc']], ['-x', '$(touch /tmp/no)', "'"])
    expect(execFileSync('sh', ['-c', line], { encoding: 'utf8' })).toBe("-c\na b\nc\n--\n-x\n$(touch /tmp/no)\n'\n")
  })
})

describe('pathOperand', () => {
  it('writes a relative path starting with - as ./-path, and leaves others alone', () => {
    expect(pathOperand('-name')).toBe('./-name')
    expect(pathOperand('/abs/-x')).toBe('/abs/-x')
    expect(pathOperand('rel')).toBe('rel')
  })
})
