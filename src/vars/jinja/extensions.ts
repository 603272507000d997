// The Jinja2 extensions whose tags Ansible knows only when ansible.cfg lists them ([defaults]
// jinja2_extensions, or ANSIBLE_JINJA2_EXTENSIONS; none by default): jinja2.ext.loopcontrols for
// `{% break %}`/`{% continue %}` and jinja2.ext.do for `{% do %}`. Without them Ansible refuses the tags, and
// so does pgha, so that a template pgha accepts also renders under Ansible with the same configuration.

const TAG_EXTENSION: Readonly<Record<string, string>> = { break: 'jinja2.ext.loopcontrols', continue: 'jinja2.ext.loopcontrols', do: 'jinja2.ext.do' }

let enabled: ReadonlySet<string> = new Set()

/** The extension a tag needs, when it is not enabled. */
export function missingExtension(tag: string): string | undefined {
  const ext = Object.hasOwn(TAG_EXTENSION, tag) ? TAG_EXTENSION[tag] : undefined
  return ext !== undefined && !enabled.has(ext) ? ext : undefined
}

/** Enables the extensions listed (others Ansible accepts are ignored); true when that changed the set. */
export function enableExtensions(names: readonly string[]): boolean {
  const next = new Set(names.map((n) => n.trim()).filter((n) => Object.values(TAG_EXTENSION).includes(n)))
  if (next.size === enabled.size && [...next].every((n) => enabled.has(n))) return false
  enabled = next
  return true
}
