// What a host answers is never evaluated as an expression either. The host prints an expression that,
// evaluated, would run a command on the controller through the `lines` lookup and create a PWNED marker;
// each route hands that output to a place that evaluates expressions: a condition keyword written as a
// template (`when: "{{ R.stdout }}"`), assert's `that`, debug's `var`. The user checks no marker exists
// and the task did what the text (not the expression) says.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LOCAL_INVENTORY, pgha, project, type Captured, type Project } from './hostile-project.js'

/** The host's answer for one route: an expression that would create the route's marker. */
const expression = (dir: string, route: string): string => `lookup('lines', 'touch ${dir}/PWNED-${route}') is string`

/** Each route's tasks after `R` registered the host's answer; `.name` names the task the user checks. */
const ROUTES: Record<string, string> = {
  assert_that: `- name: assert_that
  assert: { that: "{{ R.stdout }}" }`,
  assert_that_list: `- name: assert_that_list
  assert: { that: ["R.rc == 0", "{{ R.stdout }}"] }`,
  debug_var: `- name: debug_var
  debug: { var: "{{ R.stdout }}" }`,
  when: `- name: when
  debug: { msg: ran }
  when: "{{ R.stdout }}"`,
  failed_when: `- name: failed_when
  debug: { msg: ran }
  failed_when: "{{ R.stdout }}"`,
  changed_when: `- name: changed_when
  debug: { msg: ran }
  changed_when: "{{ R.stdout }}"`,
  until: `- name: until
  debug: { msg: ran }
  until: "{{ R.stdout }}"
  retries: 1
  delay: 0`,
  set_fact_then_assert: `- set_fact: { cond_FLOW: "{{ R.stdout }}" }
- name: set_fact_then_assert
  assert: { that: "{{ cond_FLOW }}" }`,
}

function playbook(dir: string): string {
  const tasks = Object.entries(ROUTES).map(([route, text]) => {
    const body = text.replaceAll('R.', `r_${route}.`).replaceAll('FLOW', route)
    return `    - command: cat ${dir}/payload/${route}.txt\n      register: r_${route}\n${body.replace(/^- /gm, '- ignore_errors: true\n  ').replace(/^/gm, '    ')}`
  })
  return `- hosts: node1\n  gather_facts: false\n  tasks:\n${tasks.join('\n')}\n`
}

describe('host output is never evaluated as an expression', () => {
  let p: Project
  let r: Captured
  beforeAll(async () => {
    p = project({ 'inv.ini': LOCAL_INVENTORY }, 'host-expr')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(p.path('payload'))
    for (const route of Object.keys(ROUTES)) writeFileSync(p.path(`payload/${route}.txt`), expression(p.dir, route))
    writeFileSync(p.path('site.yml'), playbook(p.dir))
    r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '-o', 'json'], p.dir)
  }, 120_000)

  it('no route ran the expression on the controller', () => {
    expect(r.stdout + r.stderr).not.toBe('')
    expect(readdirSync(p.dir).filter((f) => f.startsWith('PWNED'))).toEqual([])
  })

  it.each(Object.keys(ROUTES))('%s: no marker', (route) => {
    expect(existsSync(p.path(`PWNED-${route}`))).toBe(false)
  })

  /** The route's task on node1 as the JSON output reports it. */
  const taskNamed = (name: string): { status: string; result: Record<string, unknown> } => {
    const out = JSON.parse(r.stdout) as { plays: { tasks: { name: string; hosts: Record<string, { status: string; result: Record<string, unknown> }> }[] }[] }
    return out.plays[0].tasks.find((t) => t.name === name)!.hosts.node1
  }

  it.each(['assert_that', 'assert_that_list', 'set_fact_then_assert', 'when'])('%s reads the text as a condition does (a non-empty text holds)', (route) => {
    expect(taskNamed(route).status).toBe('ok')
  })

  it('debug var shows the host\'s text', () => {
    const t = taskNamed('debug_var')
    expect(t.status).toBe('ok')
    expect(Object.values(t.result)).toContain(expression(p.dir, 'debug_var'))
  })
})
