// The lab's SSH key: root and the login user of every node accept it.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { labDir, labPaths } from './paths.js'
import { run } from './run.js'

/** Creates the key once and returns its public half. */
export async function ensureLabKey(): Promise<string> {
  const key = labPaths.key()
  if (!existsSync(key) || !existsSync(`${key}.pub`)) {
    mkdirSync(labDir(), { recursive: true })
    await run('rm', ['-f', key, `${key}.pub`])
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pgha-lab', '-f', key])
  }
  return readFileSync(`${key}.pub`, 'utf8')
}
