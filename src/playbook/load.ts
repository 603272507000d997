// Loads a playbook file: its plays and, inlined in place, the plays of every import_playbook. Every
// problem in every file is collected and thrown at once as ConfigErrors, before any host is contacted.
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { ConfigErrors, type SourceLocation } from '../errors.js'
import { loadYamlFile, locOf } from '../yaml-source.js'
import { applyInherited, mergeVars, nothingInherited } from './inherit.js'
import { IMPORT_PLAYBOOK_KEYWORDS, reportUnknownKeys } from './keywords.js'
import { parsePlay, type PlayContext } from './play.js'
import { inReadingOrder, Problems } from './problems.js'
import { KeywordReader, describe, isMapping, isTemplated } from './reader.js'
import { parsedSources } from './template-sources.js'
import type { Inherited, LoadOptions, Play, Playbook, Vars } from './types.js'
import { renderValue, setJinjaExtensions } from '../vars/index.js'
import { configuredJinjaExtensions } from './roles/ansible-cfg.js'
import { withAnsibleModules } from './ansible-modules.js'

type FileContext = PlayContext

export function loadPlaybook(path: string, opts: LoadOptions): Playbook {
  // the templates of this playbook parse with the Jinja2 extensions its ansible.cfg enables
  setJinjaExtensions(configuredJinjaExtensions(dirname(resolve(path))))
  const { playbook, problems } = withAnsibleModules(opts, () => {
    const problems = new Problems()
    const ctx: FileContext = { problems, opts, moduleNames: [...(opts.moduleNames ?? [])], file: path, chain: [] }
    return { playbook: { file: path, plays: loadPlays(path, undefined, ctx) } as Playbook, problems }
  })
  checkSyntax(playbook, problems)
  if (problems.warnings.length > 0) playbook.warnings = inReadingOrder(problems.warnings)
  try {
    problems.throwIfAny()
  } catch (err) {
    if (!opts.onProblems || !(err instanceof ConfigErrors)) throw err
    opts.onProblems(err.errors)
  }
  return playbook
}

/** Every template and condition must parse: a syntax error is reported now, not on some host later. */
function checkSyntax(playbook: Playbook, problems: Problems): void {
  for (const { raw: source, error } of parsedSources(playbook)) {
    // Ansible's own warning, word for word: it runs such a condition too (see vars/condition-embedded.ts).
    if (source.kind === 'expression' && /\{\{|\{%/.test(source.text)) {
      problems.warn(`conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${source.text}`, source.loc)
    }
    if (error === undefined || problems.absorb(error)) continue
    problems.add(`cannot parse ${source.key}: ${(error as Error).message}`, source.loc)
  }
}

function loadPlays(file: string, from: SourceLocation | undefined, parent: FileContext): Play[] {
  const { problems } = parent
  const abs = resolve(file)
  if (parent.chain.includes(abs)) {
    const cycle = [...parent.chain.slice(parent.chain.indexOf(abs)), abs].map((p) => relative(process.cwd(), p) || p)
    problems.add(`import cycle: ${cycle.join(' -> ')}`, from)
    return []
  }
  const data = problems.attempt(() => loadYamlFile(file, from))
  const top: SourceLocation = { file, line: 1, col: 1 }
  if (data === undefined) return []
  if (!Array.isArray(data) || data.length === 0) {
    problems.add(`a playbook must be a list of plays, got ${describe(data)}`, data === null ? top : (locOf(data) ?? top))
    return []
  }
  const ctx: FileContext = { ...parent, file, chain: [...parent.chain, abs] }
  return data.flatMap((item, i) => {
    const at = locOf(data, i) ?? top
    if (!isMapping(item)) {
      problems.add(`each entry of a playbook must be a play (a mapping), got ${describe(item)}`, at)
      return []
    }
    const r = new KeywordReader(item, problems, at)
    return 'import_playbook' in item || 'ansible.builtin.import_playbook' in item ? importPlaybook(r, ctx) : [parsePlay(r, ctx)]
  })
}

/** `- import_playbook: other.yml` (relative to the importing file), with optional when, tags and vars. */
function importPlaybook(r: KeywordReader, ctx: FileContext): Play[] {
  const key = 'import_playbook' in r.node ? 'import_playbook' : 'ansible.builtin.import_playbook'
  reportUnknownKeys(r, IMPORT_PLAYBOOK_KEYWORDS, 'import_playbook', new Set([key]))
  const name = r.node[key]
  const inherited: Inherited = { when: r.conditions('when') ?? [], tags: r.strings('tags', true), vars: r.vars(), settings: {} }
  if (typeof name !== 'string' || name.trim() === '') {
    r.problems.add(`import_playbook needs a file name, got ${describe(name)}`, r.loc(key))
    return []
  }
  const file = isTemplated(name) ? importName(name, r.loc(key), inherited.vars, ctx) : name
  if (file === undefined) return []
  const target = isAbsolute(file) ? file : join(dirname(ctx.file), file)
  const plays = loadPlays(target, r.loc(key), ctx)
  for (const play of plays) applyToPlay(play, inherited)
  return plays
}

/**
 * A templated import_playbook name, rendered as Ansible does when it loads the playbook: with the extra
 * vars and the import's own vars only (no inventory or play variable exists yet), extra vars winning.
 */
function importName(name: string, loc: SourceLocation, vars: Vars, ctx: FileContext): string | undefined {
  const rendered = ctx.problems.attempt(() => renderValue(name, { ...vars, ...ctx.opts.extraVars }, loc))
  if (rendered === undefined) return undefined
  if (typeof rendered !== 'string' || rendered.trim() === '') {
    ctx.problems.add(`import_playbook's template must give a file name, it gave ${describe(rendered)}`, loc)
    return undefined
  }
  return rendered
}

/** The import's conditions reach every task of the play (handlers too); its tags and vars the play. */
function applyToPlay(play: Play, inh: Inherited): void {
  play.tags = [...new Set([...play.tags, ...inh.tags])]
  play.vars = mergeVars(inh.vars, play.vars)
  const tagged = { ...inh, vars: {} }
  for (const tasks of [play.preTasks, play.tasks, play.postTasks]) applyInherited(tasks, tagged)
  applyInherited(play.handlers, { ...nothingInherited(), when: inh.when })
}
