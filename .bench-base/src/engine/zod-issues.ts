// zod's issues as one line a user can act on: `mode: expected string, received number; dest: required`.
import type { z } from 'zod'

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join('.') || '(arguments)'
      if (i.code === 'unrecognized_keys') return `unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`
      if (i.code === 'invalid_type' && i.input === undefined) return `${path}: required`
      return `${path}: ${i.message}`
    })
    .join('; ')
}
