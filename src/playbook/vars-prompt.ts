// A play's `vars_prompt`: the variables ansible-playbook asks for before the play. Read here, with every
// misuse reported where it is written; the engine asks (src/engine/vars-prompt.ts).
import { locOf } from '../yaml-source.js'
import { KeywordReader, isMapping } from './reader.js'
import { reportUnknownKeys, readIdentifier } from './keywords.js'
import type { VarPrompt } from './types.js'

const PROMPT_KEYWORDS = new Set(['name', 'prompt', 'default', 'private', 'confirm', 'encrypt', 'salt_size', 'salt', 'unsafe'])

/** The hash types `encrypt` takes: those the password_hash filter computes. */
const ENCRYPT = ['sha512_crypt', 'sha256_crypt']

export function readVarsPrompt(r: KeywordReader): VarPrompt[] {
  const v = r.node.vars_prompt
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) return r.bad('vars_prompt', 'a list of prompts (each with name: and prompt:)') ?? []
  const out: VarPrompt[] = []
  v.forEach((entry, i) => {
    const loc = locOf(v, i) ?? r.loc('vars_prompt')
    if (!isMapping(entry)) {
      r.problems.add('a vars_prompt entry must be a mapping with name: and prompt:', loc)
      return
    }
    const p = new KeywordReader(entry, r.problems, loc)
    reportUnknownKeys(p, PROMPT_KEYWORDS, 'vars_prompt')
    const name = readIdentifier(p, 'name')
    if (name === undefined) {
      if (!p.has('name')) r.problems.add('a vars_prompt entry needs name: (the variable it sets)', loc)
      return
    }
    const encrypt = p.string('encrypt')
    if (encrypt !== undefined && !ENCRYPT.includes(encrypt)) {
      p.problems.add(`encrypt '${encrypt}' is not supported: pgha hashes with ${ENCRYPT.join(' or ')}`, p.loc('encrypt'))
    }
    const dflt = entry.default
    out.push({
      name,
      prompt: p.string('prompt') ?? name,
      ...(dflt === undefined || dflt === null ? {} : { default: dflt }),
      private: p.bool('private') ?? true,
      confirm: p.bool('confirm') ?? false,
      ...(encrypt === undefined ? {} : { encrypt }),
      ...(p.has('salt_size') ? { saltSize: p.number('salt_size', { integer: true, positive: true }) } : {}),
      ...(p.has('salt') ? { salt: p.string('salt') } : {}),
      unsafe: p.bool('unsafe') ?? false,
      loc: p.has('name') ? p.loc('name') : loc,
    })
  })
  return out
}
