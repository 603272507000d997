// pgha's Jinja2 against the real Ansible (ansible-core and python3-jinja2, installed by .ci/run): every case
// of ./jinja-ansible/cases.ts is rendered by one ansible-playbook run on localhost and by pgha, and the
// results must agree byte for byte: playbook strings as JSON of the value with its Python type (rendered
// as Ansible renders task arguments), conditions as `when` evaluates them, template files as the
// template module writes them. A case where pgha differs on purpose names the difference and what pgha
// gives. Without ansible-playbook the suite is skipped, except under CI=true or PGHA_REQUIRE_LAB=1,
// where it fails.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evaluateCondition, renderTemplateFile, setJinjaExtensions } from '../../src/vars/index.js'
import { renderNative } from '../../src/vars/jinja/index.js'
import { jsonDumps } from '../../src/vars/jinja/json.js'
import { typeName } from '../../src/vars/jinja/values.js'
import { controllerHost } from '../../src/vars/template.js'
import { CONDITION_CASES, FILE_CASES, SCOPE_VAR_CASES, STRING_CASES, VARS, type Case } from './jinja-ansible/cases.js'
import { MACRO_TEMPLATES } from './jinja-ansible/macro-cases.js'
import { SCOPE_TEMPLATES, SCOPE_VARS } from './jinja-ansible/scope-cases.js'

const available = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).status === 0
const required = process.env.CI === 'true' || process.env.PGHA_REQUIRE_LAB === '1'
const UNDEFINED = '__PGHA_UNDEFINED__'
const EXTENSIONS = ['jinja2.ext.do', 'jinja2.ext.loopcontrols']

/** A stdout callback printing, per loop item, the type and JSON of msg[0] (each case is wrapped in a list). */
const CALLBACK = `
import json
from ansible.plugins.callback import CallbackBase

def kind(v):
    for t, name in ((bool, 'bool'), (str, 'str'), (int, 'int'), (float, 'float'), (list, 'list'), (dict, 'dict')):
        if isinstance(v, t):
            return name
    return 'NoneType' if v is None else type(v).__name__

class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'pgha_cases'

    def v2_runner_item_on_ok(self, result):
        msg = result._result.get('msg')
        item = result._result.get('item')
        if isinstance(msg, list) and len(msg) == 1 and msg[0] != '${UNDEFINED}':
            line = {'item': item, 'type': kind(msg[0]), 'json': json.dumps(msg[0])}
        else:
            line = {'item': item, 'error': True}
        self._display.display('PGHA ' + json.dumps(line))
`

interface Outcome {
  error?: boolean
  type?: string
  json?: string
}

/** What pgha gives for a playbook string: the value's type and JSON, or an error. */
function pghaString(text: string, vars: Record<string, unknown>): Outcome {
  try {
    const v = renderNative(text, vars, controllerHost(vars, undefined))
    return { type: typeName(v) === 'tuple' ? 'list' : typeName(v), json: jsonDumps(v) }
  } catch {
    return { error: true }
  }
}

/** A case's variable in the playbook: ids are `group-n`, variable names take letters, digits and _. */
const varName = (id: string): string => `v_${id.replace(/-/g, '_')}`
/** ansible-playbook's output, killed after four minutes. */
function runAnsible(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('ansible-playbook', args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000)
    child.on('error', fail)
    child.on('close', () => {
      clearTimeout(timer)
      done({ stdout, stderr })
    })
  })
}

const conditionTemplate = (expr: string): string => `{% if ${expr} %} True {% else %} False {% endif %}`

describe.skipIf(!available && !required)('Jinja2 as Ansible evaluates it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-jinja-ansible-'))
  const vars: Record<string, unknown> = { ...VARS, inventory_hostname: 'localhost', playbook_dir: dir }
  const ansible = new Map<string, Outcome>()
  const files = new Map<string, string | undefined>()
  let log = ''

  beforeAll(async () => {
    // the env lookup's cases read it on both sides
    process.env.PGHA_DIFF_ENV = 'diff-env-value'
    setJinjaExtensions(EXTENSIONS)
    if (!available) return
    for (const sub of ['files', 'templates', 'out', 'callback_plugins', 'home']) mkdirSync(join(dir, sub))
    writeFileSync(join(dir, 'files/hello.txt'), 'hello from a file\n\n')
    writeFileSync(join(dir, 'files/two.txt'), 'second\n')
    writeFileSync(join(dir, 'templates/greet.j2'), 'Hi {{ s }}!\n')
    // what {% include %} cases bring in: a loop variable of the includer, a set that must not leak, nesting
    mkdirSync(join(dir, 'templates/parts'))
    writeFileSync(join(dir, 'templates/parts/item.j2'), '[{{ x }}]\n')
    writeFileSync(join(dir, 'templates/parts/sets.j2'), '{% set leaked = 1 %}set\n\n')
    writeFileSync(join(dir, 'templates/parts/nested.j2'), "<{% include 'parts/item.j2' %}>\n")
    writeFileSync(join(dir, 'templates/parts/broken.j2'), 'ok\n{{ 1 +* 2 }}\n')
    // what {% extends %} cases extend: two blocks, and a template between that extends it in turn
    writeFileSync(join(dir, 'templates/parts/base.j2'), 'head\n{% block one %}base one{% endblock %}\n{% block two %}base two {{ s }}{% endblock two %}\ntail\n')
    writeFileSync(join(dir, 'templates/parts/mid.j2'), "{% extends 'parts/base.j2' %}{% block one %}mid {{ super() }}{% endblock %}\n")
    for (const [path, text] of Object.entries({ ...MACRO_TEMPLATES, ...SCOPE_TEMPLATES })) writeFileSync(join(dir, 'templates', path), text)
    writeFileSync(join(dir, 'pw.txt'), 'stored-password\n')
    writeFileSync(join(dir, 'callback_plugins/pgha_cases.py'), CALLBACK)
    // break, continue and do need these (jinja-extensions.test.ts: refused without them, as Ansible does)
    writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\njinja2_extensions = ${EXTENSIONS.join(',')}\n`)
    const caseVars: Record<string, unknown[]> = {}
    for (const c of STRING_CASES) caseVars[varName(c.id)] = [c.text]
    for (const c of CONDITION_CASES) caseVars[varName(c.id)] = [conditionTemplate(c.text)]
    const scopeCaseVars = Object.fromEntries(SCOPE_VAR_CASES.map((c) => [varName(c.id), [c.text]]))
    for (const c of FILE_CASES) writeFileSync(join(dir, `templates/${c.id}.j2`), c.text)
    const debug = { msg: `{{ lookup('vars', item, default=['${UNDEFINED}'], errors='ignore') }}` }
    const play = {
      hosts: 'localhost',
      connection: 'local',
      gather_facts: false,
      vars: { ...VARS, ...caseVars, ...scopeCaseVars },
      tasks: [
        { name: 'strings and conditions', debug, loop: Object.keys(caseVars) },
        // task variables named as globals (range, dict, q) shadow them in these cases' rendering
        { name: 'strings over variables named as globals', vars: SCOPE_VARS, debug, loop: Object.keys(scopeCaseVars) },
        { name: 'template files', template: { src: 'templates/{{ item }}.j2', dest: `${dir}/out/{{ item }}` }, loop: FILE_CASES.map((c) => c.id), ignore_errors: true },
      ],
    }
    writeFileSync(join(dir, 'site.yml'), JSON.stringify([play]))
    // asynchronous: a long synchronous child would keep the test worker from answering vitest
    const run = await runAnsible(['-i', 'localhost,', 'site.yml'], {
      cwd: dir,
      env: {
        ...process.env,
        ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
        ANSIBLE_HOME: join(dir, 'home'),
        ANSIBLE_LOCAL_TEMP: join(dir, 'home/tmp'),
        ANSIBLE_STDOUT_CALLBACK: 'pgha_cases',
        ANSIBLE_CALLBACK_PLUGINS: join(dir, 'callback_plugins'),
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        ANSIBLE_LOCALHOST_WARNING: 'False',
        ANSIBLE_DEPRECATION_WARNINGS: 'False',
        ANSIBLE_NOCOLOR: '1',
        PGHA_DIFF_ENV: 'diff-env-value',
      },
    })
    log = `${run.stdout}\n${run.stderr}`
    for (const line of run.stdout.split('\n')) {
      if (!line.startsWith('PGHA ')) continue
      const { item, ...outcome } = JSON.parse(line.slice(5)) as Outcome & { item: string }
      if (!item.startsWith('v_')) continue // the template task's items: their files are compared
      ansible.set(item.replace(/^v_/, '').replace(/_/g, '-'), outcome)
    }
    for (const c of FILE_CASES) {
      const out = join(dir, 'out', c.id)
      files.set(c.id, existsSync(out) ? readFileSync(out, 'utf8') : undefined)
    }
  }, 300_000)

  afterAll(() => {
    setJinjaExtensions([])
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs where CI requires it, and Ansible answered every case', () => {
    expect(available, 'ansible-playbook is not installed (apt-get install ansible-core python3-jinja2)').toBe(true)
    expect(ansible.size, log.slice(-3000)).toBe(STRING_CASES.length + CONDITION_CASES.length + SCOPE_VAR_CASES.length)
  })

  const check = (c: Case, theirs: Outcome | undefined, ours: Outcome): void => {
    expect(theirs, `Ansible gave no result for ${c.id}`).toBeDefined()
    const show = (o: Outcome | undefined): string => (o?.error ? 'an error' : `${o?.type} ${o?.json}`)
    if (c.differs) {
      // `any`: pgha's value is not fixed (an unseeded random choice), so only that it renders is checked
      if (c.differs.pgha === 'any') expect(ours.error, `${c.id} ${c.text}`).toBeUndefined()
      else expect(ours.error ? 'error' : ours.json, `${c.id} ${c.text}: pgha differs on purpose (${c.differs.why})`).toBe(c.differs.pgha)
      return
    }
    expect(show(ours), `${c.id} ${JSON.stringify(c.text)}: Ansible gives ${show(theirs)}`).toBe(show(theirs))
  }

  describe('playbook strings', () => {
    it.each(STRING_CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      check(c, ansible.get(c.id), pghaString(c.text, vars))
    })
  })

  describe('playbook strings over variables named as globals', () => {
    it.each(SCOPE_VAR_CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      check(c, ansible.get(c.id), pghaString(c.text, { ...vars, ...SCOPE_VARS }))
    })
  })

  describe('conditions', () => {
    it.each(CONDITION_CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      let ours: Outcome
      try {
        ours = { type: 'str', json: JSON.stringify(evaluateCondition(c.text, vars) ? ' True ' : ' False ') }
      } catch {
        ours = { error: true }
      }
      check(c, ansible.get(c.id), ours)
    })
  })

  describe('template files', () => {
    it.each(FILE_CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      let ours: string | undefined
      try {
        ours = renderTemplateFile(c.text, vars, join(dir, 'templates', `${c.id}.j2`))
      } catch {
        ours = undefined
      }
      if (c.differs) expect(ours ?? 'error', `${c.id}: pgha differs on purpose (${c.differs.why})`).toBe(c.differs.pgha)
      else expect(JSON.stringify(ours ?? 'an error'), `${c.id} ${JSON.stringify(c.text)}`).toBe(JSON.stringify(files.get(c.id) ?? 'an error'))
    })
  })
})
