// Every local user can read every process's command line (ps, /proc/PID/cmdline). A command run through
// `connection: local` carries here-documents (the SQL of a batched read, file contents a module embeds) and
// environment values: none of its text may appear on any process's command line while it runs.
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { LocalTransport } from '../../src/transport/index.js'
import { CLEAN_RUN, runWithMarker } from './command-line-marker.js'

const haveSudo = existsSync('/usr/bin/sudo') && userInfo().uid === 0

describe('LocalTransport keeps command text off command lines', () => {
  const t = new LocalTransport({ host: 'localhost' })
  const exec = t.exec.bind(t)

  it('as the login user', async () => {
    expect(await runWithMarker(exec)).toEqual(CLEAN_RUN)
  })

  it.skipIf(!haveSudo)('as a become user', async () => {
    expect(await runWithMarker(exec, { become: true, user: 'nobody' })).toEqual(CLEAN_RUN)
  })

  it('with a timeout', async () => {
    expect(await runWithMarker(exec, { timeoutMs: 60_000 })).toEqual(CLEAN_RUN)
  })
})
