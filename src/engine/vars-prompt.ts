// Asking for each play's vars_prompt before any host is contacted: a value given with -e is not asked
// for (as in Ansible); on a terminal the question is asked (without echo for a private one, twice with
// confirm); with no terminal the default is taken, and a prompt without one is an input error where it is
// written (Ansible warns and leaves the variable None, which only fails where it is used). The answers
// become play variables; a private answer is a secret of the run.
import { ConfigError } from '../errors.js'
import type { Playbook, VarPrompt } from '../playbook/index.js'
import type { Vars } from '../inventory/types.js'
import { UnsafeText, pyStr } from '../vars/index.js'
import { passwordHash } from '../vars/jinja/crypto.js'

/** Asks one question on the terminal and returns the line typed; `hidden`: without echo. */
export type Prompter = (question: string, hidden: boolean) => string

/** How many times confirm asks again when the two answers differ, before giving up. */
const CONFIRM_TRIES = 3

/** Sets every prompted variable as a play variable; returns the private answers (secrets) and the problems. */
export function answerPrompts(playbook: Playbook, extraVars: Vars, prompter: Prompter | undefined): { secrets: string[]; errors: ConfigError[] } {
  const secrets: string[] = []
  const errors: ConfigError[] = []
  for (const play of playbook.plays) {
    for (const p of play.varsPrompt) {
      if (p.name in extraVars) continue
      try {
        const value = answer(p, prompter)
        if (p.private && value !== '') secrets.push(String(value))
        play.vars = { ...play.vars, [p.name]: p.unsafe ? new UnsafeText(String(value)) : value }
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err
        errors.push(err)
        // Known, so that templates using it are not also reported as naming an undefined variable.
        play.vars = { ...play.vars, [p.name]: null }
      }
    }
  }
  return { secrets, errors }
}

function answer(p: VarPrompt, prompter: Prompter | undefined): unknown {
  let value: unknown
  if (!prompter) {
    if (p.default === undefined) {
      throw new ConfigError(`vars_prompt '${p.name}' has no value: there is no terminal to ask on; give it with -e ${p.name}=VALUE (or a default:)`, p.loc)
    }
    value = p.default
  } else {
    const question = p.default === undefined ? `${p.prompt}: ` : `${p.prompt} [${pyStr(p.default)}]: `
    value = ask(p, prompter, question)
  }
  if (p.encrypt) value = passwordHash(String(value), p.encrypt, p.salt, p.saltSize, undefined)
  return value
}

function ask(p: VarPrompt, prompter: Prompter, question: string): unknown {
  for (let i = 0; i < CONFIRM_TRIES; i++) {
    // Ansible's words when the confirmation differs, before the question again.
    const typed = prompter(`${i > 0 ? '***** VALUES ENTERED DO NOT MATCH ****\n' : ''}${question}`, p.private)
    if (p.confirm && prompter(`confirm ${question}`, p.private) !== typed) continue
    return typed === '' && p.default !== undefined ? p.default : typed
  }
  throw new ConfigError(`vars_prompt '${p.name}': the values entered did not match ${CONFIRM_TRIES} times`, p.loc)
}
