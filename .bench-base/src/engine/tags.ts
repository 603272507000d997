// Ansible's tag selection: --tags keeps tasks with a matching tag (plus `always`), --skip-tags removes
// matching ones; `never` runs only when asked for by name; `tagged`/`untagged`/`all` are special.
function matches(wanted: string, tags: ReadonlySet<string>): boolean {
  if (wanted === 'all') return true
  if (wanted === 'tagged') return tags.size > 0
  if (wanted === 'untagged') return tags.size === 0
  return tags.has(wanted)
}

export function tagsSelect(taskTags: readonly string[], only: readonly string[] = [], skip: readonly string[] = []): boolean {
  const tags = new Set(taskTags)
  if (skip.some((t) => matches(t, tags))) return false
  const asked = only.some((t) => t !== 'all' && matches(t, tags))
  if (tags.has('never') && !asked) return false
  if (only.length === 0 || only.includes('all') || tags.has('always')) return true
  return asked
}
