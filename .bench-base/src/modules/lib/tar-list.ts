// Lists the entry names of a controller-side .tar or .tar.gz without a tar binary, so unarchive can plan
// (which entries are missing under dest?) before uploading anything.
import { gunzipSync } from 'node:zlib'

const cstr = (b: Buffer, start: number, len: number): string => {
  const s = b.subarray(start, start + len)
  const nul = s.indexOf(0)
  return s.subarray(0, nul === -1 ? s.length : nul).toString('utf8')
}

/** Entry names of a tar (gzip-compressed or not), or undefined when the bytes are another archive format. */
export function listTar(archive: Buffer): string[] | undefined {
  let data = archive
  if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data)
  if (data.length < 512 || cstr(data, 257, 5) !== 'ustar') return undefined
  const names: string[] = []
  let longName: string | undefined
  for (let off = 0; off + 512 <= data.length; ) {
    if (data[off] === 0) break
    const size = parseInt(cstr(data, off + 124, 12).trim() || '0', 8)
    const type = String.fromCharCode(data[off + 156])
    const body = data.subarray(off + 512, off + 512 + size)
    if (type === 'L') longName = cstr(body, 0, size)
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] ?? longName
    else if (type !== 'g') {
      const prefix = cstr(data, off + 345, 155)
      names.push(longName ?? (prefix ? `${prefix}/${cstr(data, off, 100)}` : cstr(data, off, 100)))
      longName = undefined
    }
    off += 512 + Math.ceil(size / 512) * 512
  }
  return names
}
