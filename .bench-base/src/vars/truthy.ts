// Python truthiness, as Ansible conditions use it: '', 0, [], {}, None and false are false.
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0
  return Boolean(v)
}
