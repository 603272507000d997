// The lab's SSH key, shared by every instance: root and the login user of every node accept it.
import { existsSync, readFileSync } from 'node:fs'
import { labPaths } from './paths.js'
import { run } from './run.js'
import { withSharedLock } from './lock.js'

const present = (key: string): boolean => existsSync(key) && existsSync(`${key}.pub`)

/** Creates the key once (under the shared lock, so two instances never write it at once) and returns its public half. */
export async function ensureLabKey(): Promise<string> {
  const key = labPaths.key()
  if (!present(key)) {
    await withSharedLock('key', async () => {
      if (present(key)) return
      await run('rm', ['-f', key, `${key}.pub`])
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pgha-lab', '-f', key])
    }, 60_000)
  }
  return readFileSync(`${key}.pub`, 'utf8')
}
