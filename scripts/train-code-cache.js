#!/usr/bin/env node
// Trains dist/pgha.cjs's code cache (see bin/load-bundle.js): runs the fresh bundle on work that contacts no
// host and writes only inside a temp directory (the production example rendered, then a playbook of
// file/lineinfile/copy/template tasks on the local connection, run once to create and once converged, and
// the list of modules), then saves the bytecode of everything those runs compiled.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadBundle, saveCache } from '../bin/load-bundle.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(join(tmpdir(), 'pgha-train-'))

const PLAYBOOK = `- name: train
  hosts: all
  gather_facts: false
  vars:
    base: ${dir}/tree
  tasks:
    - name: directory
      file: { path: "{{ base }}/conf.d", state: directory, mode: "0755" }
    - name: line
      lineinfile: { path: "{{ base }}/settings.conf", regexp: "^key\\\\s*=", line: "key = {{ inventory_hostname }}", create: true }
    - name: mode
      file: { path: "{{ base }}/settings.conf", state: file, mode: "0600" }
    - name: content
      copy: { dest: "{{ base }}/conf.d/copied.conf", content: "# {{ inventory_hostname }}\\n", mode: "0644" }
    - name: source
      copy: { src: static.txt, dest: "{{ base }}/static.txt", mode: "0644" }
    - name: template
      template: { src: train.conf.hbs, dest: "{{ base }}/conf.d/templated.conf", mode: "0644" }
`

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

try {
  write(join(dir, 'playbook.yml'), PLAYBOOK)
  write(join(dir, 'files', 'static.txt'), 'static\n')
  write(join(dir, 'templates', 'train.conf.hbs'), 'host = {{ inventory_hostname }}\n')
  write(join(dir, 'inventory.ini'), 'trainer ansible_connection=local\n')
  // The parse cache (src/disk-cache.ts) of the training runs goes with the temp directory, not into the
  // home of whoever builds.
  process.env.XDG_CACHE_HOME = join(dir, 'cache')
  const pgha = loadBundle(undefined, { useCache: false })
  const runs = [
    ['render', '-i', join(root, 'inventory', 'production.example'), '--out', join(dir, 'render-out')],
    ['run', join(dir, 'playbook.yml'), '-i', join(dir, 'inventory.ini'), '-o', 'plain'],
    ['run', join(dir, 'playbook.yml'), '-i', join(dir, 'inventory.ini'), '-o', 'json'],
    // The bundle loads a module on its first use: the list of them loads every one, so that the cache holds
    // each module's set-up code for the playbooks that use the others.
    ['doc'],
  ]
  for (const args of runs) {
    const code = await pgha.exports.main(['node', 'pgha', ...args])
    if (code !== 0) throw new Error(`training run \`pgha ${args.join(' ')}\` exited ${code}`)
  }
  saveCache(pgha)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
