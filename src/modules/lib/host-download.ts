// Downloading a URL on the host with curl or wget (get_url, rpm_key): the URL reaches them on their stdin
// (curl's config `url = "..."`, wget's list of URLs), from a here-document of the command text, so a
// password in it (https://user:PASSWORD@host/) is on no command line of the host, where every user reads
// them. The URL holds no white space, so no line of it can end the here-document.

const URL_END = 'PGHA_URL'
const curlConfigUrl = (url: string): string => `url = "${url.replace(/[\\"]/g, (c) => `\\${c}`)}"`

/** Shell lines that download `url` into the file "$t" (made by the caller), or exit 1 with the tool's error. */
export function downloadLines(url: string, o: { validateCerts: boolean; timeout: number; module: string }): string[] {
  const k = o.validateCerts ? '' : ' -k'
  const nk = o.validateCerts ? '' : ' --no-check-certificate'
  return [
    `if command -v curl >/dev/null 2>&1; then curl -fsSL${k} --connect-timeout ${o.timeout} -o "$t" -K - <<'${URL_END}' || exit 1`,
    curlConfigUrl(url),
    URL_END,
    `elif command -v wget >/dev/null 2>&1; then wget -q${nk} -T ${o.timeout} -O "$t" -i - <<'${URL_END}' || exit 1`,
    url,
    URL_END,
    `else echo '${o.module} needs curl or wget on the host' >&2; exit 1; fi`,
  ]
}

/** The URL with any user:password@ hidden, for descriptions and messages. */
export const redactUrl = (url: string): string => url.replace(/\/\/[^/@]*@/, '//***@')
