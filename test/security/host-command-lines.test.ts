// Secrets stay off the host's process command lines, where every user of the host reads them (ps,
// /proc/PID/cmdline). get_url takes a password inside its URL (https://user:PASSWORD@host/...), as
// Ansible's does; the download runs on the host, and while it runs, the HTTP server it talks to (in this
// test) reads every command line on the machine. The user checks the password was in none of them, and
// that the download still authenticated (the server saw the credentials) and wrote the file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNowhere, LOCAL_INVENTORY, pgha, project, unique } from './hostile-project.js'

/** Every process's command line on this machine, as ps would show it. */
function commandLines(): string[] {
  const out: string[] = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))
    } catch {
      // the process ended meanwhile
    }
  }
  return out
}

describe('get_url: a password in the URL is on no command line of the host', () => {
  const password = unique('url-pw')
  let server: Server
  let seen: { auth?: string; lines: string[] }[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      // The download is in progress: the downloader's command line is there to be read.
      seen.push({ auth: req.headers.authorization, lines: commandLines().filter((l) => l.includes(password)) })
      // wget sends the credentials once asked for them
      if (req.headers.authorization === undefined) res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="pgha"' }).end()
      else res.end('downloaded\n')
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  })
  afterAll(() => server.close())

  it.each([
    ['curl', 'written in the task'],
    ['wget', 'written in the task'],
    ['curl', 'from a variable named like any other'],
  ])('with %s, the URL %s: the download authenticates, no command line and no output holds the password', async (tool, how) => {
    seen = []
    const p = project({ 'inv.ini': LOCAL_INVENTORY }, 'cmdline')
    // The tool under test is the only downloader on the PATH the task sees (beside the tools the
    // command and the transport use), so get_url takes it.
    const { mkdirSync, symlinkSync } = await import('node:fs')
    mkdirSync(p.path('bin'))
    for (const t of [tool, 'mktemp', 'rm', 'chmod', 'chown', 'mv', 'cat', 'base64', 'timeout', 'cmp', 'stat', 'env']) symlinkSync(`/usr/bin/${t}`, p.path(`bin/${t}`))
    const url = `http://pgha:${password}@127.0.0.1:${(server.address() as AddressInfo).port}/file.txt`
    const path = p.path('bin')
    const arg = how === 'written in the task' ? url : '{{ download_url }}'
    writeFileSync(p.path('site.yml'), `- hosts: all\n  gather_facts: false\n  environment: { PATH: "${path}" }\n  vars: { download_url: "${url}" }\n  tasks:\n    - get_url: { url: "${arg}", dest: ${p.path('out.txt')} }\n`)
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '-vvv'], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe('downloaded\n')
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.map((s) => s.auth)).toContain(`Basic ${Buffer.from(`pgha:${password}`).toString('base64')}`)
    expect(seen.flatMap((s) => s.lines)).toEqual([])
    expectNowhere(r, password)
  }, 60_000)
})
