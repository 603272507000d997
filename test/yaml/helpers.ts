// The input errors parseYaml reports for a text, as `line:col message` lines.
import { ConfigErrors } from '../../src/errors.js'
import { parseYaml } from '../../src/yaml-source.js'

export function yamlProblems(text: string, file = 'bad.yml'): string[] {
  try {
    parseYaml(text, file)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    return err.errors.map((e) => `${e.loc?.line}:${e.loc?.col} ${e.message}`)
  }
  throw new Error('parsed without errors')
}
