// What kind of module a playbook's own `library/` file is, read as ansible-core's module_common reads it
// (_find_module_utils, _extract_interpreter): that decides how its arguments reach it and whether pgha
// can run it at all. Pure: bytes in, a kind out.

/**
 * binary: any executable, given the path of a JSON arguments file. want_json: a script saying WANT_JSON,
 * given the same. old: a script given a file of `key=value` words. new: a Python module built on
 * AnsibleModule, which reads ANSIBLE_MODULE_ARGS from a JSON file and needs ansible.module_utils on the host.
 */
export type ModuleStyle = 'binary' | 'want_json' | 'old' | 'new'

/** The `#!` line of a script: its interpreter and the words after it. */
export interface Shebang {
  interpreter: string
  args: string[]
}

export type ModuleKind = { style: ModuleStyle; shebang?: Shebang } | { refused: string }

/** Bytes a text file holds (Ansible's _is_binary: BEL, BS, TAB, LF, FF, CR, ESC and 0x20-0xff but DEL). */
function isText(bytes: Buffer): boolean {
  for (const b of bytes.subarray(0, 1024)) {
    if (b === 0x7f || (b < 0x20 && ![7, 8, 9, 10, 12, 13, 27].includes(b))) return false
  }
  return true
}

/** Ansible's NEW_STYLE_PYTHON_MODULE_RE: the imports that make a Python file an AnsibleModule module. */
const NEW_STYLE = /(?:from +\.{2,} *module_utils.* +import |from +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.* +import |import +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.*|from +ansible\.module_utils.* +import |import +ansible\.module_utils\.)/
/** The module_utils that only Ansible's controller can ship: a collection's, or relative to the module. */
const SHIPPED_UTILS = /(?:from +\.{2,} *module_utils|ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils)/
const POWERSHELL = /#Requires -Module|#Requires -Version|#AnsibleRequires -(?:OSVersion|Powershell|CSharpUtil)|# POWERSHELL_COMMON/i

function shebangOf(text: string): Shebang | undefined {
  const first = text.split('\n', 1)[0]
  if (!first.startsWith('#!')) return undefined
  const words = first.slice(2).trim().split(/\s+/).filter((w) => w !== '')
  return words.length === 0 ? undefined : { interpreter: words[0], args: words.slice(1) }
}

export function moduleKind(bytes: Buffer): ModuleKind {
  if (!isText(bytes)) return { style: 'binary' }
  const text = bytes.toString('utf8')
  const shebang = shebangOf(text)
  const withShebang = (style: ModuleStyle): ModuleKind => (shebang ? { style, shebang } : { style })
  if (text.includes('#<<INCLUDE_ANSIBLE_MODULE_COMMON>>')) {
    return { refused: 'it is an Ansible module of the pre-2.1 kind (#<<INCLUDE_ANSIBLE_MODULE_COMMON>>), which only ansible-playbook can assemble' }
  }
  if (NEW_STYLE.test(text)) {
    if (SHIPPED_UTILS.test(text)) {
      return { refused: "it imports module_utils of a collection or relative to itself, which Ansible's controller ships with the module and pgha does not" }
    }
    return withShebang('new')
  }
  if (POWERSHELL.test(text)) return { refused: 'it is a PowerShell module (for Windows hosts)' }
  if (text.includes('<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>')) {
    return { refused: "its arguments are templated into its source (<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>); write WANT_JSON in it and read the file named by its first argument instead" }
  }
  if (text.includes('WANT_JSON')) return withShebang('want_json')
  return withShebang('old')
}
