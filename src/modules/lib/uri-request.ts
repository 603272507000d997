// The request the uri module makes, as the python3 program that makes it on the host (Ansible's uri runs on
// the managed host too: the URL is resolved, routed and trusted from there). The program and its arguments
// travel together on the command's stdin, the arguments as one JSON string literal, so a password is never
// on a command line (ps), in a file, or in a traceback (python prints no source line for a program read
// from stdin). It prints one JSON object, shaped as ansible-core 2.14's uri result: status, url, msg,
// redirected, the response headers lower-cased with '-' as '_', content, json, path, changed, failed.
// Standard library only (urllib), so any host with python3 runs it.

/** What the controller sends: the task's parameters, validated. */
export interface UriRequest {
  url: string
  method: string
  /** The body as the task gives it: the program encodes it as body_format says, as Ansible's uri does. */
  body: unknown
  body_format: 'raw' | 'json' | 'form-urlencoded'
  headers: Record<string, string>
  status_code: number[]
  return_content: boolean
  dest: string | null
  creates: string | null
  removes: string | null
  timeout: number
  validate_certs: boolean
  url_username: string | null
  url_password: string | null
  force_basic_auth: boolean
  follow_redirects: string
  unix_socket: string | null
  http_agent: string
  ca_path: string | null
}

const PROGRAM = String.raw`
import base64, email.utils, hashlib, http.client, json, os, socket, ssl, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

JSON_CANDIDATES = ('json', 'javascript')


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, *args, **kwargs):
        http.client.HTTPConnection.__init__(self, *args, **kwargs)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class UnixHandler(urllib.request.HTTPHandler):
    def __init__(self, path):
        urllib.request.HTTPHandler.__init__(self)
        self.unix_path = path

    def http_open(self, req):
        return self.do_open(lambda *a, **k: UnixHTTPConnection(self.unix_path, *a, **k), req)


def redirect_handler(mode):
    class Redirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, hdrs, newurl):
            method = req.get_method()
            if mode == 'urllib2':
                return urllib.request.HTTPRedirectHandler.redirect_request(self, req, fp, code, msg, hdrs, newurl)
            if mode in ('no', 'none') or (mode == 'safe' and method not in ('GET', 'HEAD')):
                raise urllib.error.HTTPError(newurl, code, msg, hdrs, fp)
            headers = dict(req.headers)
            headers.update(req.unredirected_hdrs)
            newurl = newurl.replace(' ', '%20')
            data = None
            if code in (307, 308):
                data = req.data
            else:
                headers = dict((k, v) for k, v in headers.items()
                               if k.lower() not in ('content-length', 'content-type', 'transfer-encoding'))
                if (code in (302, 303) and method != 'HEAD') or (code == 301 and method == 'POST'):
                    method = 'GET'
            return urllib.request.Request(newurl, data=data, headers=headers, method=method,
                                          origin_req_host=req.origin_req_host, unverifiable=True)
    return Redirect


def content_type_of(headers):
    value = headers.get('Content-Type', 'application/octet-stream') if headers is not None else 'application/octet-stream'
    main = value.split(';')[0].strip()
    sub = main.partition('/')[2]
    charset = 'utf-8'
    for param in value.split(';')[1:]:
        k, _, v = param.strip().partition('=')
        if k.lower() == 'charset' and v:
            charset = v.strip('"')
    suffix = sub.partition('+')[2] if '+' in sub else sub
    return suffix.lower() in JSON_CANDIDATES, charset


def response_filename(url, headers):
    disposition = headers.get('Content-Disposition', '') if headers is not None else ''
    for part in disposition.split(';'):
        k, _, v = part.strip().partition('=')
        if k.lower() == 'filename' and v:
            return os.path.basename(v.strip('"'))
    return os.path.basename(urllib.parse.urlsplit(url).path) or 'index.html'


def absolute_location(url, location):
    if '://' in location:
        return location
    if location.startswith('/'):
        parts = urllib.parse.urlsplit(url)
        return '%s%s' % (url.replace(parts[2], ''), location)
    return '%s/%s' % (os.path.dirname(url), location)


def write_dest(dest, content):
    """Writes content beside dest and renames it into place (atomic), only when the bytes differ."""
    directory = os.path.dirname(dest) or '.'
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.' + os.path.basename(dest) + '.')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(content)
        if os.path.isfile(dest):
            with open(dest, 'rb') as f:
                if hashlib.sha1(f.read()).digest() == hashlib.sha1(content).digest():
                    os.remove(tmp)
                    return
            st = os.stat(dest)
            os.chmod(tmp, st.st_mode & 0o7777)
            if os.geteuid() == 0:
                os.chown(tmp, st.st_uid, st.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.rename(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def form_urlencoded(body):
    pairs = []
    items = body.items() if isinstance(body, dict) else body
    for key, values in items:
        if isinstance(values, str) or not isinstance(values, (dict, list, tuple)):
            values = [values]
        for value in values:
            if value is not None:
                pairs.append((str(key), str(value)))
    return urllib.parse.urlencode(pairs, doseq=True)


def encode_body(a, headers):
    body, body_format = a['body'], a['body_format']
    typed = 'content-type' in [h.lower() for h in headers]
    if body_format == 'json':
        if not isinstance(body, str):
            body = json.dumps(body)
        if not typed:
            headers['Content-Type'] = 'application/json'
    elif body_format == 'form-urlencoded':
        if not isinstance(body, str):
            body = form_urlencoded(body)
        if not typed:
            headers['Content-Type'] = 'application/x-www-form-urlencoded'
    if body is None:
        return None
    return (body if isinstance(body, str) else str(body)).encode('utf-8')


def request(a):
    url = a['url']
    if a['creates'] is not None and os.path.exists(a['creates']):
        return {'changed': False, 'stdout': "skipped, since '%s' exists" % a['creates']}
    if a['removes'] is not None and not os.path.exists(a['removes']):
        return {'changed': False, 'stdout': "skipped, since '%s' does not exist" % a['removes']}
    headers = dict(a['headers'])
    headers.setdefault('User-Agent', a['http_agent'])
    user, password = a['url_username'], a['url_password']
    parts = urllib.parse.urlsplit(url)
    if '@' in parts.netloc:
        creds, netloc = parts.netloc.rsplit('@', 1)
        url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        u, _, p = creds.partition(':')
        user, password = urllib.parse.unquote(u), urllib.parse.unquote(p)
    handlers = [redirect_handler(a['follow_redirects'])]
    if user is not None or password is not None:
        if a['force_basic_auth']:
            token = ('%s:%s' % (user or '', password or '')).encode('utf-8')
            headers['Authorization'] = 'Basic ' + base64.b64encode(token).decode('ascii')
        else:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, user or '', password or '')
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
    context = ssl.create_default_context(cafile=a['ca_path'])
    if not a['validate_certs']:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    handlers.append(urllib.request.HTTPSHandler(context=context))
    if a['unix_socket'] is not None:
        handlers.append(UnixHandler(a['unix_socket']))
    dest = a['dest']
    if dest is not None and os.path.isfile(dest):
        headers.setdefault('If-Modified-Since', email.utils.formatdate(os.path.getmtime(dest), usegmt=True))
    body = encode_body(a, headers)
    req = urllib.request.Request(url, data=body, headers=headers, method=a['method'])
    opener = urllib.request.build_opener(*handlers)
    info = {'url': url, 'status': -1}
    response_headers = None
    content = b''
    start = time.time()
    try:
        r = opener.open(req, timeout=a['timeout'])
        response_headers = r.headers
        content = r.read()
        info.update({'msg': 'OK (%s bytes)' % r.headers.get('Content-Length', 'unknown'), 'url': r.geturl(), 'status': r.status})
    except urllib.error.HTTPError as e:
        response_headers = e.headers
        try:
            content = e.read()
        except Exception:
            content = b''
        info.update({'msg': str(e), 'status': e.code})
    except urllib.error.URLError as e:
        info.update({'msg': 'Request failed: %s' % e, 'status': int(getattr(e, 'code', -1))})
    except (socket.error, http.client.HTTPException) as e:
        info.update({'msg': 'Connection failure: %s' % e, 'status': -1})
    if response_headers is not None:
        for k, v in response_headers.items():
            info[k.lower()] = v
    resp = {'redirected': info['url'] != url}
    resp.update(info)
    resp['elapsed'] = int(time.time() - start)
    resp['status'] = int(resp['status'])
    resp['changed'] = False
    maybe_json, charset = content_type_of(response_headers)
    if dest is not None and response_headers is not None:
        if os.path.isdir(dest):
            dest = os.path.join(dest, response_filename(info['url'], response_headers))
        if resp['status'] in a['status_code'] and resp['status'] != 304:
            write_dest(dest, content)
            resp['changed'] = True
        resp['path'] = dest
    out = {}
    for k, v in resp.items():
        out[k.replace('-', '_').lower()] = v
    if 'location' in out:
        out['location'] = absolute_location(url, out['location'])
    text = content.decode(charset, 'replace') if isinstance(content, bytes) else None
    if maybe_json and text:
        try:
            out['json'] = json.loads(text)
        except ValueError:
            pass
    if a['return_content']:
        out['content'] = text
    if resp['status'] not in a['status_code']:
        out['failed'] = True
        out['msg'] = 'Status code was %s and not %s: %s' % (resp['status'], a['status_code'], out.get('msg', ''))
    return out


try:
    result = request(json.loads(ARGS))
except Exception as e:
    result = {'failed': True, 'msg': '%s: %s' % (type(e).__name__, e)}
sys.stdout.write(json.dumps(result))
`

/**
 * The program with its arguments, for python3's stdin. A JSON string is also a Python string literal
 * (the same escapes), so the arguments reach `json.loads` exactly as sent.
 */
export function uriProgram(request: UriRequest): string {
  return `ARGS = ${JSON.stringify(JSON.stringify(request))}\n${PROGRAM}`
}
