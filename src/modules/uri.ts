// uri: makes an HTTP request from the host, as Ansible's uri does (a python3 program read from stdin,
// lib/uri-request.ts), and returns its result: status, url, msg, redirected, the response headers
// (lower-cased, '-' as '_'), content with return_content, json when the response is JSON. It fails when
// the status is not one of status_code. changed is true only when dest was written. Like Ansible's uri it
// has no check mode: a check run skips it (`check_mode: false` on the task makes it run).
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { defineModule, type TaskResult } from './types.js'
import { bool } from './lib/params.js'
import { absolutePathParam, hostPathParam } from './lib/value-kinds.js'
import { uriProgram, type UriRequest } from './lib/uri-request.js'
import { findPython } from './lib/python-interpreter.js'
import { intElement, listOf } from './lib/list-param.js'

const statusCodes = listOf(intElement).refine((l) => l.length > 0, 'give at least one status code')

const params = z
  .object({
    url: z.string().regex(/^https?:\/\//, 'url must be http:// or https://').describe('The URL to request, from the host.'),
    method: z.string().regex(/^[A-Z]+$/, "method needs to be a single word in uppercase, like GET or POST").default('GET').describe('The HTTP method.'),
    body: z.unknown().optional().describe('The request body: text, or with body_format json or form-urlencoded a mapping or list encoded as that.'),
    body_format: z.enum(['raw', 'json', 'form-urlencoded']).default('raw').describe('How body is encoded; json and form-urlencoded also set Content-Type unless headers do.'),
    headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}).describe('Request headers.'),
    status_code: statusCodes.default([200]).describe('The status codes that mean success (one, a list, or a comma-separated string); another fails the task.'),
    return_content: bool(false, "Return the response body as result.content (a JSON body is result.json either way)."),
    dest: absolutePathParam().optional().describe('Write the response body to this file (atomically; a directory gets the file name of the response). The task is changed when written.'),
    creates: hostPathParam().optional().describe('A path; when it exists, no request is made.'),
    removes: hostPathParam().optional().describe('A path; when it does not exist, no request is made.'),
    timeout: z.coerce.number().int().positive().default(30).describe('Socket timeout in seconds.'),
    validate_certs: bool(true, 'Check the server certificate of an https URL.'),
    ca_path: hostPathParam().optional().describe('A CA certificate bundle on the host to check the server certificate with.'),
    url_username: z.string().optional().describe('User name for HTTP authentication (Basic, or Digest when the server asks).'),
    url_password: z.string().optional().describe('Password for HTTP authentication; never shown, never on a command line.'),
    force_basic_auth: bool(false, 'Send Basic authentication with the first request instead of waiting for a 401.'),
    follow_redirects: z.enum(['all', 'no', 'none', 'safe', 'urllib2', 'yes']).default('safe').describe('safe: follow redirects of GET and HEAD only; all/yes: every redirect; none/no: none.'),
    unix_socket: hostPathParam().optional().describe('Connect to this unix socket on the host instead of the URL\'s host and port.'),
    http_agent: z.string().default('ansible-httpget').describe('The User-Agent header.'),
  })
  .strict()

type Params = z.output<typeof params>

/** The URL with any user:password@ hidden, for descriptions and messages. */
const redact = (url: string): string => url.replace(/\/\/[^/@]*@/, '//********@')

function requestOf(p: Params): UriRequest {
  return {
    url: p.url,
    method: p.method,
    body: p.body ?? null,
    body_format: p.body_format,
    headers: p.headers,
    status_code: p.status_code,
    return_content: p.return_content,
    dest: p.dest ?? null,
    creates: p.creates ?? null,
    removes: p.removes ?? null,
    timeout: p.timeout,
    validate_certs: p.validate_certs,
    url_username: p.url_username ?? null,
    url_password: p.url_password ?? null,
    force_basic_auth: p.force_basic_auth,
    follow_redirects: p.follow_redirects,
    unix_socket: p.unix_socket ?? null,
    http_agent: p.http_agent,
    ca_path: p.ca_path ?? null,
  }
}

export default defineModule({
  name: 'uri',
  description: 'Make an HTTP request from the host (python3 there) and return the status, headers and body',
  params,
  aliases: { user: 'url_username', password: 'url_password' },
  secretArgs: ['url_password', 'password'],
  async plan(ctx, p) {
    // Ansible's uri declares no check mode support: a check run skips it with Ansible's words.
    if (ctx.check) return { changes: [], result: { skipped: true, msg: 'remote module (uri) does not support check mode' } }
    return {
      changes: [{ description: `${p.method} ${redact(p.url)}${p.dest ? ` to ${p.dest}` : ''}` }],
      // Only the request tells whether dest changes; uri reports changed only when it writes dest.
      unpredictable: true,
    }
  },
  async apply(ctx, p): Promise<Partial<TaskResult>> {
    const r = await ctx.exec(`${findPython(ctx.vars, 'uri')}\nexec "$py" -`, { stdin: uriProgram(requestOf(p)) })
    const text = r.stdout.trim()
    let result: Partial<TaskResult>
    try {
      result = JSON.parse(text) as Partial<TaskResult>
    } catch {
      throw new PghaError('task', `uri: the host's python did not answer (exit ${r.rc}): ${(r.stderr || text).trim().slice(0, 2000) || 'no output'}`)
    }
    if (typeof result.url === 'string') result.url = redact(result.url)
    return { changed: false, failed: false, ...result }
  },
})
