// with_<lookup> loops on a local host: they are the items of the one loop path (when per item, register's
// results, include_tasks), and a lookup that fails is the task's failure on that host, naming where.
import { describe, expect, it } from 'vitest'
import { localHosts, play, project } from './harness.js'

const one = localHosts(['hostA'])

describe('with_<lookup> loops', () => {
  it('write one file per item of with_items, with_dict and with_sequence, and register the results', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: flattened
      copy: { dest: "${p.dir}/{{ item }}", content: "x" }
      with_items: [[a, b], c]
      register: made
    - name: by key
      copy: { dest: "${p.dir}/{{ item.key }}.conf", content: "{{ item.value }}\\n" }
      with_dict: "{{ settings }}"
    - name: numbered
      copy: { dest: "${p.dir}/{{ item }}", content: "n" }
      with_sequence: start=1 count=2 format=node%d
      when: item != 'node2'
    - name: registered
      assert:
        that: made.results | map(attribute='item') | list == ['a', 'b', 'c']
`, '{ settings: { port: 5432, listen: "*" } }'))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(['a', 'b', 'c', 'node1'].map((f) => p.read(f))).toEqual(['x', 'x', 'x', 'n'])
    expect(p.read('port.conf')).toBe('5432\n')
    expect(p.read('listen.conf')).toBe('*\n')
    expect(() => p.read('node2')).toThrow()
    expect(r.results('registered').hostA.status).toBe('ok')
    expect(r.recap.hostA).toMatchObject({ changed: 3, failed: 0 })
  })

  it('includes a task file once per item of with_items, with the loop variable', async () => {
    const p = project(one)
    p.write('touch.yml', `- copy: { dest: "${p.dir}/{{ name }}", content: "{{ name }}" }\n`)
    p.write('site.yml', play(`
    - include_tasks: touch.yml
      with_items: [one, two]
      loop_control: { loop_var: name }
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect([p.read('one'), p.read('two')]).toEqual(['one', 'two'])
  })

  it('fails the task on the host when the lookup refuses its terms, naming the loop and where it is', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: backwards
      debug: msg={{ item }}
      with_sequence: start=5 end=1
    - name: not reached
      debug: msg=no
`))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(String(r.results('backwards').hostA.result.msg)).toMatch(/site\.yml:9:22: with_sequence: to count backwards make stride negative/)
    expect(r.tasks()).not.toContain('not reached')
  })
})
