// Reads a module's zod parameter schema into plain rows (name, type, required, default, description):
// `pgha doc` prints them and the playbook loader checks parameter names against them, so the schema
// stays the single source of truth.
import type { z } from 'zod'

export interface ParamInfo {
  name: string
  type: string
  required: boolean
  default?: unknown
  description: string
}

type AnyDef = { type: string; innerType?: z.ZodType; defaultValue?: unknown; options?: z.ZodType[]; entries?: Record<string, unknown>; element?: z.ZodType; shape?: Record<string, z.ZodType>; in?: z.ZodType; out?: z.ZodType; values?: unknown[] }

const defOf = (s: z.ZodType): AnyDef => (s as unknown as { _zod: { def: AnyDef } })._zod.def

/** A readable type name: string, number, boolean, list of string, one of present|absent, ... */
export function typeName(s: z.ZodType): string {
  const d = defOf(s)
  switch (d.type) {
    case 'optional': case 'default': case 'nullable': case 'prefault': case 'readonly': case 'catch':
      return typeName(d.innerType!)
    // A preprocessed value (z.preprocess: a transform piped into the schema) is described by what it becomes.
    case 'pipe': return defOf(d.in!).type === 'transform' ? typeName(d.out!) : typeName(d.in!)
    case 'enum': return `one of ${Object.values(d.entries ?? {}).join('|')}`
    case 'literal': return `literal ${(d.values ?? []).map((v) => JSON.stringify(v)).join('|')}`
    case 'array': return `list of ${typeName(d.element!)}`
    case 'union': return (d.options ?? []).map(typeName).join(' or ')
    case 'object': return 'mapping'
    case 'record': return 'mapping'
    default: return d.type
  }
}

/** The object shape of a params schema (through pipes/effects), or undefined for free-form modules. */
export function paramShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let d = defOf(schema)
  // A preprocessed schema is a pipe from a transform: its shape is the pipe's output's.
  while (d.type === 'pipe' || d.type === 'optional' || d.type === 'default') {
    d = d.type === 'pipe' && defOf(d.in!).type === 'transform' ? defOf(d.out!) : defOf((d.in ?? d.innerType)!)
  }
  return d.type === 'object' ? d.shape : undefined
}

export function describeParams(schema: z.ZodType): ParamInfo[] {
  const shape = paramShape(schema)
  if (!shape) return []
  return Object.entries(shape).map(([name, s]) => {
    const d = defOf(s)
    return {
      name,
      type: typeName(s),
      required: !s.isOptional(),
      default: d.type === 'default' ? d.defaultValue : undefined,
      description: s.description ?? '',
    }
  })
}
