import { describe, expect, it } from 'vitest'
import { autoKind, createReporter, defaultColor } from '../../src/output/index.js'
import { JsonReporter } from '../../src/output/json.js'
import { PlainReporter } from '../../src/output/plain.js'
import { memoryStream, options } from './fixture.js'

describe('createReporter', () => {
  const terminal = memoryStream({ columns: 100 }).stream
  const pipe = memoryStream().stream

  it('auto: progress on a terminal, plain lines in CI, in a pipe, or on an unsized pty', () => {
    expect(autoKind(terminal, {})).toBe('tty')
    expect(autoKind(terminal, { CI: 'true' })).toBe('plain')
    expect(autoKind(terminal, { CI: 'false' })).toBe('tty')
    expect(autoKind(pipe, {})).toBe('plain')
    expect(autoKind(memoryStream({ columns: 0 }).stream, {})).toBe('plain')
  })

  it('builds the reporter asked for', async () => {
    expect(await createReporter('plain', options())).toBeInstanceOf(PlainReporter)
    expect(await createReporter('json', options())).toBeInstanceOf(JsonReporter)
    expect(await createReporter('auto', options())).toBeInstanceOf(PlainReporter)
    expect((await createReporter('tty', options())).constructor.name).toBe('ListrReporter')
  })

  it('colors only a terminal, and never with NO_COLOR', () => {
    expect(defaultColor(terminal, {})).toBe(true)
    expect(defaultColor(terminal, { NO_COLOR: '1' })).toBe(false)
    expect(defaultColor(pipe, {})).toBe(false)
    expect(defaultColor(pipe, { FORCE_COLOR: '1' })).toBe(true)
  })
})
