// What a host answers is data, never a template, wherever it flows. Each flow reads a payload file on the
// host (its stdout is Jinja2 and Handlebars text that, rendered, would run a command on the controller
// through the `lines` lookup and create a PWNED marker, and would print a secret variable), passes it along
// one route (task, block and include vars, set_fact, loop items, include and role parameters, handler
// arguments, template variables of both languages, hostvars, conditions...) and writes it into a file. The
// user checks the file holds the host's text exactly, no marker exists and the secret is nowhere.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { haveSshd, startSshd, type TestSshd } from '../transport/sshd.js'
import { expectNowhere, pgha, project, unique, type Captured, type Project } from './hostile-project.js'

const SECRET = unique('host-data-secret')

/** The host's answer for one flow: Jinja2 that would run a marker command, and the secret's name (which Handlebars would print too). */
const payload = (dir: string, flow: string): string =>
  `P {{ lookup('lines', 'touch ${dir}/PWNED-${flow}') }} {{ db_password }} {{db_password}} {% if true %}T{% endif %} Q`

/**
 * The flows: `R` is the flow's registered result of `cat` of its payload, `OUT` the file it must write.
 * Each writes R.stdout along its route; `check: false` flows only must not run the payload.
 */
const FLOWS: Record<string, string> = {
  register: `- copy: { dest: OUT, content: "{{ R.stdout }}" }`,
  task_vars: `- copy: { dest: OUT, content: "{{ v }}" }
  vars: { v: "{{ R.stdout }}" }`,
  block_vars: `- block:
    - copy: { dest: OUT, content: "{{ bv }}" }
  vars: { bv: "{{ R.stdout }}" }`,
  nested_block_vars: `- block:
    - block:
        - copy: { dest: OUT, content: "{{ outer }}" }
      vars: { unrelated: 1 }
  vars: { outer: "{{ R.stdout }}" }`,
  set_fact: `- set_fact: { sf_FLOW: "{{ R.stdout }}" }
- copy: { dest: OUT, content: "{{ sf_FLOW }}" }`,
  set_fact_then_vars: `- set_fact: { sf_FLOW: "{{ R.stdout }}" }
- copy: { dest: OUT, content: "{{ via }}" }
  vars: { via: "{{ sf_FLOW }}" }`,
  set_fact_dict: `- set_fact: { d_FLOW: { k: ["{{ R.stdout }}"] } }
- copy: { dest: OUT, content: "{{ d_FLOW.k[0] }}" }`,
  set_fact_list_vars: `- set_fact: { l_FLOW: ["{{ R.stdout }}"] }
- copy: { dest: OUT, content: "{{ x[0] }}" }
  vars: { x: "{{ l_FLOW }}" }`,
  from_json: `- set_fact: { j_FLOW: "{{ {'k': R.stdout} | to_json }}" }
- copy: { dest: OUT, content: "{{ parsed.k }}" }
  vars: { parsed: "{{ j_FLOW | from_json }}" }`,
  loop_item: `- copy: { dest: OUT, content: "{{ item }}" }
  loop: "{{ R.stdout_lines }}"`,
  loop_var: `- copy: { dest: OUT, content: "{{ line }}" }
  loop: "{{ R.stdout_lines }}"
  loop_control: { loop_var: line, label: "{{ line }}" }`,
  loop_dict_items: `- copy: { dest: OUT, content: "{{ item.value }}" }
  loop: "{{ {'k': R.stdout} | dict2items }}"`,
  include_vars: `- include_tasks: inc-copy.yml
  vars: { value: "{{ R.stdout }}", out: OUT }`,
  include_vars_dict: `- include_tasks: inc-copy-dict.yml
  vars: { value: { k: "{{ R.stdout }}" }, out: OUT }`,
  include_loop_item: `- include_tasks: inc-item.yml
  loop: "{{ R.stdout_lines }}"
  vars: { out: OUT }`,
  include_loop_var: `- include_tasks: inc-line.yml
  loop: "{{ R.stdout_lines }}"
  loop_control: { loop_var: line }
  vars: { out: OUT }`,
  include_loop_dict: `- include_tasks: inc-entry.yml
  loop: "{{ [{'k': R.stdout}] }}"
  loop_control: { loop_var: entry }
  vars: { out: OUT }`,
  include_role_vars: `- include_role: { name: writer }
  vars: { value: "{{ R.stdout }}", out: OUT }`,
  include_role_loop: `- include_role: { name: writer }
  loop: "{{ R.stdout_lines }}"
  loop_control: { loop_var: value }
  vars: { out: OUT }`,
  import_tasks_vars: `- import_tasks: inc-copy.yml
  vars: { value: "{{ R.stdout }}", out: OUT }`,
  handler: `- command: "true"
  changed_when: true
  notify: write host data
- set_fact: { handler_value: "{{ R.stdout }}", handler_out: OUT }
- meta: flush_handlers`,
  template_j2: `- template: { src: show.j2, dest: OUT }
  vars: { value: "{{ R.stdout }}" }`,
  template_j2_direct: `- template: { src: show-direct.j2, dest: OUT }
  vars: { reg: "{{ R }}" }`,
  template_hbs: `- template: { src: show.hbs, dest: OUT }
  vars: { value: "{{ R.stdout }}" }`,
  template_hbs_registered: `- set_fact: { value_FLOW: "{{ R.stdout }}" }
- template: { src: show-fact.hbs, dest: OUT }
  vars: { fact_name: value_FLOW }`,
  template_lookup: `- copy: { dest: OUT, content: "{{ lookup('template', 'show.j2') }}" }
  vars: { value: "{{ R.stdout }}" }`,
  vars_lookup: `- copy: { dest: OUT, content: "{{ lookup('vars', 'v') }}" }
  vars: { v: "{{ R.stdout }}" }`,
  hostvars: `- copy: { dest: OUT, content: "{{ hostvars[inventory_hostname].R.stdout }}" }`,
  hostvars_set_fact: `- set_fact: { hv_FLOW: "{{ R.stdout }}" }
- copy: { dest: OUT, content: "{{ hv }}" }
  vars: { hv: "{{ hostvars['node1'].hv_FLOW }}" }`,
  slurp: `- slurp: { src: PAYLOAD }
  register: s_FLOW
- copy: { dest: OUT, content: "{{ decoded }}" }
  vars: { decoded: "{{ s_FLOW.content | b64decode }}" }`,
  environment: `- shell: printf '%s' "$HOST_DATA" > OUT
  environment: { HOST_DATA: "{{ R.stdout }}" }`,
  lineinfile: `- lineinfile: { path: OUT, line: "{{ v }}", create: true }
  vars: { v: "{{ R.stdout }}" }`,
  debug_then_copy: `- debug: { msg: "{{ R.stdout }}" }
- copy: { dest: OUT, content: "{{ R.stdout | trim }}" }`,
  combine: `- copy: { dest: OUT, content: "{{ merged.k }}" }
  vars: { merged: "{{ {'k': 'x'} | combine({'k': R.stdout}) }}" }`,
  when_template: `- copy: { dest: OUT, content: "{{ R.stdout }}" }
  when: "{{ R.stdout }}"`,
  failed_when_data: `- command: cat PAYLOAD
  register: again_FLOW
  failed_when: again_FLOW.stdout == 'never'
  changed_when: "{{ again_FLOW.stdout != '' }}"
- copy: { dest: OUT, content: "{{ again_FLOW.stdout }}" }`,
  add_host: `- add_host: { name: added_FLOW, groups: [added], ansible_connection: local, hv: "{{ R.stdout }}", hv_list: ["{{ R.stdout }}"], out: OUT }`,
  assert_msg: `- assert: { that: ["R.stdout != ''"], success_msg: "{{ R.stdout }}" }
- copy: { dest: OUT, content: "{{ R.stdout }}" }`,
}

const INCLUDES: Record<string, string> = {
  'inc-copy.yml': '- copy: { dest: "{{ out }}", content: "{{ value }}" }\n',
  'inc-copy-dict.yml': '- copy: { dest: "{{ out }}", content: "{{ value.k }}" }\n',
  'inc-item.yml': '- copy: { dest: "{{ out }}", content: "{{ item }}" }\n',
  'inc-line.yml': '- copy: { dest: "{{ out }}", content: "{{ line }}" }\n',
  'inc-entry.yml': '- copy: { dest: "{{ out }}", content: "{{ entry.k }}" }\n',
  'roles/writer/tasks/main.yml': '- copy: { dest: "{{ out }}", content: "{{ value }}" }\n',
  'templates/show.j2': '{{ value }}',
  'templates/show-direct.j2': '{{ reg.stdout }}',
  'templates/show.hbs': '{{value}}',
  'templates/show-fact.hbs': '{{lookup this fact_name}}',
}

function flowsPlaybook(dir: string): string {
  const tasks = Object.entries(FLOWS).map(([flow, text]) => {
    const reg = `r_${flow}`
    const body = text.replaceAll('R.', `${reg}.`).replaceAll('"{{ R }}"', `"{{ ${reg} }}"`).replaceAll('OUT', `${dir}/out/${flow}.txt`)
      .replaceAll('PAYLOAD', `${dir}/payload/${flow}.txt`).replaceAll('FLOW', flow)
    return `    - command: cat ${dir}/payload/${flow}.txt\n      register: ${reg}\n${body.replace(/^/gm, '    ')}`
  })
  return `- hosts: node1
  gather_facts: false
  vars:
    db_password: ${SECRET}
  handlers:
    - name: write host data
      copy: { dest: "{{ handler_out }}", content: "{{ handler_value }}" }
  tasks:
    - file: { path: ${dir}/out, state: directory }
${tasks.join('\n')}
`
}

/** A play on a second host reading the first host's results through hostvars, and play vars from them. */
const otherHostPlay = (dir: string): string => `- hosts: node2
  gather_facts: false
  vars:
    from_other: "{{ hostvars['node1'].r_register.stdout }}"
  tasks:
    - copy: { dest: ${dir}/out/other_host_hostvars.txt, content: "{{ hostvars['node1']['r_register']['stdout'] }}" }
    - copy: { dest: ${dir}/out/other_host_play_vars.txt, content: "{{ from_other }}" }
    - copy: { dest: ${dir}/out/other_host_set_fact.txt, content: "{{ hostvars.node1.sf_set_fact }}" }
- hosts: node1
  gather_facts: false
  vars:
    later: "{{ sf_set_fact }}"
    chain_a: "{{ chain_b }}"
    chain_b: "{{ chain_c }}"
    chain_c: "{{ hostvars['node1'].r_register.stdout }}"
  roles:
    - role: writer
      vars: { value: "{{ sf_set_fact }}", out: ${dir}/out/role_params_later_play.txt }
  tasks:
    - copy: { dest: ${dir}/out/later_play_vars.txt, content: "{{ later }}" }
    - copy: { dest: ${dir}/out/play_vars_chain.txt, content: "{{ chain_a }}" }
    - copy: { dest: ${dir}/out/add_host_hostvars.txt, content: "{{ hostvars['added_add_host'].hv }}" }
- hosts: added
  gather_facts: false
  vars:
    from_added: "{{ hv_list[0] }}"
  tasks:
    - copy: { dest: "{{ out }}", content: "{{ hv }}" }
    - copy: { dest: ${dir}/out/add_host_play_vars.txt, content: "{{ from_added }}" }
`

const EXTRA_OUTPUTS: Record<string, string> = {
  other_host_hostvars: 'register',
  other_host_play_vars: 'register',
  other_host_set_fact: 'set_fact',
  role_params_later_play: 'set_fact',
  later_play_vars: 'set_fact',
  play_vars_chain: 'register',
  add_host_hostvars: 'add_host',
  add_host_play_vars: 'add_host',
}

interface Ran {
  p: Project
  r: Captured
}

function setUp(inventory: (dir: string) => string): () => Promise<Ran> {
  let ran: Promise<Ran> | undefined
  return () => (ran ??= (async () => {
    const p = project(INCLUDES, 'host-data')
    mkdirSync(p.path('payload'))
    for (const flow of Object.keys(FLOWS)) writeFileSync(p.path(`payload/${flow}.txt`), payload(p.dir, flow))
    writeFileSync(p.path('site.yml'), flowsPlaybook(p.dir) + otherHostPlay(p.dir))
    writeFileSync(p.path('inv.yml'), inventory(p.dir))
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.yml'), '-vvv', '--diff'], p.dir)
    return { p, r }
  })())
}

function flowSuite(title: string, ran: () => Promise<Ran>, skip = false): void {
  describe.skipIf(skip)(title, () => {
    beforeAll(async () => void (await ran()), 180_000)

    it('the run succeeds, and no payload ran on the controller', async () => {
      const { p, r } = await ran()
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(readdirSync(p.dir).filter((f) => f.startsWith('PWNED'))).toEqual([])
    })

    it('the secret the payload names appears in no output', async () => {
      const { r } = await ran()
      expectNowhere(r, SECRET)
    })

    it.each(Object.keys(FLOWS))('%s: the file holds the host\'s text exactly, no marker', async (flow) => {
      const { p } = await ran()
      expect(existsSync(p.path(`PWNED-${flow}`))).toBe(false)
      if (flow === 'when_template' && !existsSync(p.path(`out/${flow}.txt`))) return
      const written = readFileSync(p.path(`out/${flow}.txt`), 'utf8')
      expect(written.replace(/\n$/, '')).toBe(payload(p.dir, flow))
      expect(written).not.toContain(SECRET)
    })

    it.each(Object.entries(EXTRA_OUTPUTS))('%s: the file holds the host\'s text exactly', async (name, flow) => {
      const { p } = await ran()
      expect(readFileSync(p.path(`out/${name}.txt`), 'utf8')).toBe(payload(p.dir, flow))
    })
  })
}

const LOCAL_HOSTS = (): string => 'all:\n  hosts:\n    node1: { ansible_connection: local }\n    node2: { ansible_connection: local }\n'
flowSuite('host data on the local connection is never rendered', setUp(LOCAL_HOSTS))

let sshd: TestSshd | undefined
const overSsh = setUp(() => {
  const h = { ansible_host: '127.0.0.1', ansible_port: sshd!.port, ansible_user: 'root', ansible_ssh_private_key_file: sshd!.keyFile, pgha_known_hosts_file: sshd!.knownHosts }
  return `all:\n  hosts:\n    node1: ${JSON.stringify(h)}\n    node2: ${JSON.stringify(h)}\n`
})
describe.skipIf(!haveSshd)('over SSH', () => {
  beforeAll(async () => {
    sshd = await startSshd()
  }, 120_000)
  afterAll(() => sshd?.stop())
  flowSuite('host data over SSH is never rendered', overSsh)
})
