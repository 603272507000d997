import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listTar } from '../../../src/modules/lib/tar-list.js'

describe('listTar', () => {
  it('lists what GNU tar lists, for plain, gzip and long (>100 char) names', () => {
    const d = mkdtempSync(join(tmpdir(), 'pgha-tar-'))
    const long = `top/${'x'.repeat(120)}/file.txt`
    mkdirSync(join(d, 'top', 'x'.repeat(120)), { recursive: true })
    writeFileSync(join(d, long), 'x')
    for (const [flags, file] of [['-cf', 'a.tar'], ['-czf', 'a.tgz'], ['--format=pax -cf', 'p.tar']] as const) {
      execFileSync('sh', ['-c', `tar -C ${d} ${flags} ${d}/${file} top`])
      const expected = execFileSync('tar', ['-tf', join(d, file)], { encoding: 'utf8' }).trim().split('\n')
      expect(listTar(readFileSync(join(d, file)))).toEqual(expected)
    }
  })
  it('says undefined for a zip or anything else', () => {
    expect(listTar(Buffer.from('PK\u0003\u0004 not a tar'))).toBeUndefined()
  })
})
