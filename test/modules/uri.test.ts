// uri on a real host (this machine, through LocalTransport) against an HTTP server on 127.0.0.1 that the
// test runs: the request is made by python3 on the host, and what the server saw (method, body, headers,
// credentials) is checked beside the result a playbook would register.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLocal } from './local-host.js'
import { pgha } from '../secrets/cli.js'
import { MASK } from '../../src/secrets/index.js'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

const dir = mkdtempSync(join(tmpdir(), 'pgha-uri-'))
const seen: Seen[] = []
let server: Server
let base = ''
/** The password /private accepts for alice. */
let password = 's3cret-pw'

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d))
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      const path = new URL(req.url!, 'http://x').pathname
      if (path === '/json') return res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': 'abc', 'Content-Length': 29 }).end('{"ok": true, "items": [1, 2]}')
      if (path === '/text') return res.writeHead(200, { 'Content-Type': 'text/plain' }).end('hello\n')
      if (path === '/created') return res.writeHead(201, { 'Content-Type': 'text/plain' }).end('made')
      if (path === '/missing') return res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such thing')
      if (path === '/moved') return res.writeHead(302, { Location: '/text' }).end()
      if (path === '/echo') return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ method: req.method, body }))
      if (path === '/private') {
        if (req.headers.authorization === `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`) return res.writeHead(200).end('welcome')
        return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="pgha"' }).end('who are you')
      }
      // Echoes the credentials it was sent: a response that carries the password back into the result.
      if (path === '/whoami') {
        const sent = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString()
        return res.writeHead(sent === `alice:${password}` ? 200 : 403).end(`you are ${sent}`)
      }
      res.writeHead(500).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => {
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('uri on a real host', () => {
  it('GETs a JSON document: status, url, msg, headers lower-cased with _, and json; not changed', async () => {
    const { result } = await runLocal('uri', { url: `${base}/json` })
    expect(result).toMatchObject({
      status: 200, url: `${base}/json`, redirected: false, changed: false, failed: false,
      msg: 'OK (29 bytes)', content_type: 'application/json; charset=utf-8', x_request_id: 'abc', content_length: '29',
      json: { ok: true, items: [1, 2] },
    })
    expect(result.content).toBeUndefined() // return_content was not asked for
    expect(seen.at(-1)).toMatchObject({ method: 'GET', headers: { 'user-agent': 'ansible-httpget' } })
  })

  it('returns the body as content with return_content', async () => {
    const { result } = await runLocal('uri', { url: `${base}/text`, return_content: true })
    expect(result).toMatchObject({ status: 200, content: 'hello\n' })
    expect(result.json).toBeUndefined()
  })

  it('fails on a status not in status_code, with Ansible\'s message; a list of codes accepts it', async () => {
    const missing = await runLocal('uri', { url: `${base}/missing`, return_content: true })
    expect(missing.result).toMatchObject({ failed: true, status: 404, content: 'no such thing', msg: 'Status code was 404 and not [200]: HTTP Error 404: Not Found' })
    const created = await runLocal('uri', { url: `${base}/created`, method: 'POST', status_code: [200, 201] })
    expect(created.result).toMatchObject({ failed: false, status: 201 })
    const single = await runLocal('uri', { url: `${base}/created`, method: 'POST', status_code: '201' })
    expect(single.result).toMatchObject({ failed: false, status: 201 })
    // a comma-separated string is a list, as Ansible reads a list param
    const joined = await runLocal('uri', { url: `${base}/created`, method: 'POST', status_code: '200,201' })
    expect(joined.result).toMatchObject({ failed: false, status: 201 })
  })

  it('sends a JSON body and a form body as body_format says, with their Content-Type', async () => {
    const json = await runLocal('uri', { url: `${base}/echo`, method: 'POST', body_format: 'json', body: { name: 'pg', n: 2, on: true } })
    // Python's json.dumps, as Ansible's uri encodes it.
    expect(json.result.json).toEqual({ method: 'POST', body: '{"name": "pg", "n": 2, "on": true}' })
    expect(seen.at(-1)!.headers['content-type']).toBe('application/json')
    await runLocal('uri', { url: `${base}/echo`, method: 'PUT', body_format: 'form-urlencoded', body: { a: 'x y', b: ['1', '2'] } })
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', body: 'a=x+y&b=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    await runLocal('uri', { url: `${base}/echo`, method: 'POST', body: 'raw text', headers: { 'Content-Type': 'text/csv', 'X-Count': 3 } })
    expect(seen.at(-1)).toMatchObject({ body: 'raw text', headers: { 'content-type': 'text/csv', 'x-count': '3' } })
  })

  it('follows a redirect of a GET (safe), not of a POST, and none with follow_redirects: none', async () => {
    const get = await runLocal('uri', { url: `${base}/moved`, return_content: true })
    expect(get.result).toMatchObject({ status: 200, url: `${base}/text`, redirected: true, content: 'hello\n' })
    const post = await runLocal('uri', { url: `${base}/moved`, method: 'POST', body: 'x' })
    expect(post.result).toMatchObject({ failed: true, status: 302, redirected: false, location: `${base}/text` })
    const none = await runLocal('uri', { url: `${base}/moved`, follow_redirects: 'none', status_code: 302 })
    expect(none.result).toMatchObject({ failed: false, status: 302 })
    const all = await runLocal('uri', { url: `${base}/moved`, method: 'POST', body: 'x', follow_redirects: 'all' })
    expect(all.result).toMatchObject({ status: 200, redirected: true })
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/text' }) // a 302 turns a POST into a GET, as browsers and Ansible do
  })

  it('authenticates with Basic after a 401, or at once with force_basic_auth; the password is never on a command line', async () => {
    const asked = await runLocal('uri', { url: `${base}/private`, user: 'alice', password: 's3cret-pw', return_content: true })
    expect(asked.result).toMatchObject({ status: 200, content: 'welcome' })
    expect(seen.slice(-2).map((s) => s.headers.authorization === undefined)).toEqual([true, false])
    const forced = await runLocal('uri', { url: `${base}/private`, url_username: 'alice', url_password: 's3cret-pw', force_basic_auth: true })
    expect(forced.result.status).toBe(200)
    expect(seen.at(-1)!.headers.authorization).toBeDefined()
    expect(forced.host.commands.join('\n')).not.toContain('s3cret-pw')
    expect(JSON.stringify(forced.result)).not.toContain('s3cret-pw')
    const wrong = await runLocal('uri', { url: `${base}/private`, user: 'alice', password: 'bad-password' })
    expect(wrong.result).toMatchObject({ failed: true, status: 401 })
  })

  it('writes dest atomically, keeps its mode, and a directory dest gets the name from the URL', async () => {
    const dest = join(dir, 'hello.txt')
    const first = await runLocal('uri', { url: `${base}/text`, dest })
    expect(first.result).toMatchObject({ changed: true, path: dest, status: 200 })
    expect(readFileSync(dest, 'utf8')).toBe('hello\n')
    expect(seen.at(-1)!.headers['if-modified-since']).toBeUndefined()
    writeFileSync(dest, 'old\n')
    chmodSync(dest, 0o640)
    const again = await runLocal('uri', { url: `${base}/text`, dest })
    expect(again.result).toMatchObject({ changed: true, path: dest })
    expect(readFileSync(dest, 'utf8')).toBe('hello\n')
    expect((statSync(dest).mode & 0o777).toString(8)).toBe('640')
    expect(seen.at(-1)!.headers['if-modified-since']).toBeDefined() // as Ansible's uri, which lets a server answer 304
    const into = await runLocal('uri', { url: `${base}/json`, dest: `${dir}/` })
    expect(into.result.path).toBe(join(dir, 'json'))
    expect(readdirSync(dir).sort()).toEqual(['hello.txt', 'json']) // no temporary file left behind
    const failed = await runLocal('uri', { url: `${base}/missing`, dest: join(dir, 'missing.txt') })
    expect(failed.result.failed).toBe(true)
    expect(existsSync(join(dir, 'missing.txt'))).toBe(false)
  })

  it('makes no request when creates exists or removes does not', async () => {
    const before = seen.length
    const marker = join(dir, 'marker')
    writeFileSync(marker, '')
    const created = await runLocal('uri', { url: `${base}/text`, creates: marker })
    expect(created.result).toMatchObject({ changed: false, stdout: `skipped, since '${marker}' exists` })
    const removed = await runLocal('uri', { url: `${base}/text`, removes: join(dir, 'nothing') })
    expect(removed.result.stdout).toBe(`skipped, since '${join(dir, 'nothing')}' does not exist`)
    expect(seen.length).toBe(before)
  })

  it('is skipped in check mode, as Ansible\'s uri, which has no check mode', async () => {
    const before = seen.length
    const { result, host } = await runLocal('uri', { url: `${base}/echo`, method: 'DELETE' }, { check: true })
    expect(result).toMatchObject({ skipped: true, msg: 'remote module (uri) does not support check mode' })
    expect(host.commands).toEqual([])
    expect(seen.length).toBe(before)
  })

  it('reports a connection that fails as a failed task with status -1', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as { port: number }).port
    await new Promise((r) => closed.close(r))
    const { result } = await runLocal('uri', { url: `http://127.0.0.1:${port}/`, timeout: 5 })
    expect(result).toMatchObject({ failed: true, status: -1 })
    expect(result.msg).toMatch(/^Status code was -1 and not \[200\]: Request failed: <urlopen error \[Errno 111\] Connection refused>/)
  })
})

describe('uri in a playbook run: the password is never printed', () => {
  it('neither a literal url_password nor a password alias reaches any output, at -vvv, plain or JSON', async () => {
    password = `pw-${randomBytes(6).toString('hex')}`
    const wrong = `pw-${randomBytes(6).toString('hex')}`
    const project = mkdtempSync(join(tmpdir(), 'pgha-uri-run-'))
    writeFileSync(join(project, 'inventory.ini'), 'hostA ansible_connection=local\n')
    // The server echoes the credentials back, so both passwords come back in the results: only masking keeps them out.
    writeFileSync(join(project, 'site.yml'), `
- hosts: all
  gather_facts: false
  tasks:
    - name: authenticated
      uri: { url: "${base}/whoami", url_username: alice, url_password: "${password}", force_basic_auth: true, return_content: true }
      register: r
    - debug: var=r.content
    - name: refused
      uri: { url: "${base}/whoami", user: alice, password: "${wrong}", force_basic_auth: true, return_content: true }
`)
    try {
      for (const mode of ['plain', 'json']) {
        const before = seen.length
        const run = await pgha(['run', 'site.yml', '-i', 'inventory.ini', '-o', mode, '-vvv'], project)
        expect(run.code, run.stdout + run.stderr).toBe(2) // the refused request fails the run
        expect(seen.slice(before).map((s) => s.url)).toEqual(['/whoami', '/whoami'])
        for (const secret of [password, wrong, Buffer.from(`alice:${password}`).toString('base64')]) {
          expect(run.stdout + run.stderr).not.toContain(secret)
        }
        // The first request was let in (its password was sent), and the echoes show masked.
        expect(run.stdout).toContain(`you are alice:${MASK}`)
        expect(run.stdout).toMatch(/Status code was 403 and not \[200\]/)
      }
    } finally {
      rmSync(project, { recursive: true, force: true })
    }
  }, 60_000)
})
