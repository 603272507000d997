// Text to a YAML document, as Ansible would read it: a document that is JSON is read as JSON (Ansible tries
// json.loads first), anything else as YAML 1.1 with PyYAML's scalars. Flow collections may nest
// MAX_FLOW_DEPTH deep: each `[` costs one byte but a recursion step in the parser, and a few hundred
// thousand of them take the yaml library seconds and a gigabyte before it gives up.
import { Composer, Lexer, Parser, YAMLParseError, type Document, type DocumentOptions, type LineCounter, type ParseOptions, type SchemaOptions } from 'yaml'
import { pyyamlTags } from './yaml-schema.js'

/** Deeper than PyYAML itself can compose (its recursion stops near 330 levels). */
export const MAX_FLOW_DEPTH = 256

type Options = ParseOptions & DocumentOptions & SchemaOptions

const COMMON: Options = { uniqueKeys: true, prettyErrors: false, strict: true }
const YAML_11: Options = { ...COMMON, version: '1.1', customTags: pyyamlTags, resolveKnownTags: false, merge: true }
const JSON_DOC: Options = { ...COMMON, version: '1.2', schema: 'core', merge: false }

/** A flow collection opened more than MAX_FLOW_DEPTH levels deep, at `offset`. */
export class NestingError extends Error {
  constructor(readonly offset: number) {
    super(`flow collections ('[' and '{') nested more than ${MAX_FLOW_DEPTH} levels deep`)
  }
}

/** Control lexemes of the yaml lexer that stand for no source text (document start, scalar, flow error end). */
const MARKERS = new Set(['\x02', '\x18', '\x1f'])

/** Lexemes of `text`, refusing a flow collection nested too deep before the parser recurses into it. */
function* boundedLexemes(text: string): Generator<string> {
  let depth = 0
  let offset = 0
  let scalar = false
  for (const lexeme of new Lexer().lex(text)) {
    if (!scalar) {
      if (lexeme === '[' || lexeme === '{') {
        if (++depth > MAX_FLOW_DEPTH) throw new NestingError(offset)
      } else if (lexeme === ']' || lexeme === '}') {
        depth--
      }
    }
    scalar = lexeme === '\x1f' // the next lexeme is a scalar's text, whatever it looks like
    if (!MARKERS.has(lexeme)) offset += lexeme.length
    yield lexeme
  }
}

/** How many `[` and `{` the text holds, in or out of strings. */
function openers(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x7b) n++
  }
  return n
}

/** Ansible's loader tries JSON first: `1e3` in a JSON file is a number, in YAML 1.1 a string. */
function isJson(text: string): boolean {
  const first = /\S/.exec(text)?.[0]
  if (first !== '{' && first !== '[') return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The one document `text` holds (a second one is an error in it); throws NestingError. */
export function composeDocument(text: string, lineCounter: LineCounter): Document {
  const parser = new Parser(lineCounter.addNewLine)
  const composer = new Composer(isJson(text) ? JSON_DOC : YAML_11)
  const tokens = function* () {
    lineCounter.addNewLine(0)
    for (const lexeme of boundedLexemes(text)) yield* parser.next(lexeme)
    yield* parser.end()
  }
  // Too few brackets to nest too deep (every file pgha ships): the parser's own lexer, without the count.
  let doc: Document | undefined
  for (const next of composer.compose(openers(text) > MAX_FLOW_DEPTH ? tokens() : parser.parse(text), true, text.length)) {
    if (doc) {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'a second YAML document (after ---): a file holds one'))
      break
    }
    doc = next
  }
  return doc!
}
