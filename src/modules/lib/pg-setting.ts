// A server parameter's value as postgresql_set compares it: a quantity in the parameter's unit
// (256MB = 262144 kB, 5min = 300 s), a boolean (on/yes/true/1), a list ('a, b' = 'a,b'), else the text
// case-insensitively. So a value written another way than PostgreSQL shows it is still the same value.

const MEMORY: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }
const TIME: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }
const BOOL: Record<string, string> = { on: 'on', off: 'off', true: 'on', false: 'off', yes: 'on', no: 'off', '1': 'on', '0': 'off' }

/** The factor of pg_settings' unit ('8kB' is 8192 bytes, 'ms' one millisecond), or undefined for none. */
function unitFactor(unit: string | null): { scale: Record<string, number>; factor: number } | undefined {
  const m = /^(\d*)(\w+)$/.exec(unit ?? '')
  if (!m) return undefined
  const scale = m[2] in MEMORY ? MEMORY : m[2] in TIME ? TIME : undefined
  return scale && { scale, factor: Number(m[1] || 1) * scale[m[2]] }
}

/** `value` in a form two spellings of one value share, for a parameter of this vartype and unit. */
export function settingKey(value: string, vartype: string | null, unit: string | null): string {
  const v = value.trim()
  if (vartype === 'bool') return BOOL[v.toLowerCase()] ?? v.toLowerCase()
  const u = unitFactor(unit)
  const q = /^(-?\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(v)
  if ((vartype === 'integer' || vartype === 'real') && q) {
    if (!q[2]) return String(Number(q[1]) * (u?.factor ?? 1))
    if (u && q[2] in u.scale) return String(Number(q[1]) * u.scale[q[2]])
  }
  if (vartype === 'enum') return v.toLowerCase()
  return v.split(',').map((s) => s.trim()).join(',')
}

/**
 * The value for ALTER SYSTEM: one literal, or one per element when it holds commas (as Ansible writes
 * list parameters like shared_preload_libraries), except for the *_command and *_prefix strings.
 */
export function settingLiterals(name: string, value: string): string[] {
  return value.includes(',') && !/_(command|prefix)$/.test(name) ? value.split(',').map((s) => s.trim()) : [value]
}
