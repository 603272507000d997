// How each tool is started and how its recap is read. Ansible gets what its users would set for speed
// (pipelining, ControlPersist, a fixed interpreter) through its environment, never through the user's
// ansible.cfg; both tools get the same forks.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** @typedef {{ cmd: string, args: string[], env: NodeJS.ProcessEnv }} Invocation */
/** @typedef {{ ok: number, changed: number, failed: number, unreachable: number, skipped: number }} Counts */

/**
 * @param {{ root: string, playbook: string, inventory: string, forks: number }} o
 * @returns {Invocation}
 */
export function pghaInvocation(o) {
  return {
    cmd: process.execPath,
    args: [join(o.root, 'bin', 'pgha.js'), 'run', o.playbook, '-i', o.inventory, '-f', String(o.forks), '-o', 'json'],
    // Ansible's ControlPersist is set to 120 s below: pgha's run server waits as long, since a round of
    // ansible-playbook and Mitogen between two pgha runs can outlast its default 60 s.
    env: { ...process.env, NO_COLOR: '1', PGHA_PERSIST: '120' },
  }
}

/**
 * @param {{ playbook: string, inventory: string, forks: number, workDir: string }} o
 * @returns {Invocation}
 */
export function ansibleInvocation(o) {
  const cfg = join(o.workDir, 'ansible.cfg')
  mkdirSync(join(o.workDir, 'ansible-tmp'), { recursive: true })
  // An empty config of our own, so a user's ~/.ansible.cfg or ./ansible.cfg does not change the run.
  writeFileSync(cfg, '[defaults]\n')
  return {
    cmd: 'ansible-playbook',
    args: ['-i', o.inventory, '-f', String(o.forks), o.playbook],
    env: {
      ...process.env,
      ANSIBLE_CONFIG: cfg,
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_SSH_ARGS: '-o ControlMaster=auto -o ControlPersist=120s',
      ANSIBLE_CONTROL_PATH_DIR: join(o.workDir, 'cp'),
      ANSIBLE_HOST_KEY_CHECKING: 'True',
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      ANSIBLE_RETRY_FILES_ENABLED: 'False',
      ANSIBLE_LOCAL_TEMP: join(o.workDir, 'ansible-tmp'),
      ANSIBLE_NOCOLOR: 'True',
      ANSIBLE_FORCE_COLOR: 'False',
    },
  }
}

/** Where Debian's ansible-mitogen keeps its strategy plugins. */
export const MITOGEN_STRATEGIES = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy'

/**
 * ansible-playbook with Mitogen's `mitogen_linear` strategy, otherwise as ansibleInvocation starts it.
 * @param {{ playbook: string, inventory: string, forks: number, workDir: string }} o
 * @returns {Invocation}
 */
export function mitogenInvocation(o) {
  const ansible = ansibleInvocation(o)
  return { ...ansible, env: { ...ansible.env, ANSIBLE_STRATEGY_PLUGINS: MITOGEN_STRATEGIES, ANSIBLE_STRATEGY: 'mitogen_linear' } }
}

/**
 * The PLAY RECAP of ansible-playbook's default output.
 * @param {string} stdout @returns {Record<string, Counts>}
 */
export function parseAnsibleRecap(stdout) {
  const at = stdout.lastIndexOf('PLAY RECAP')
  /** @type {Record<string, Counts>} */
  const recap = {}
  if (at < 0) return recap
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s*:\s*(.*)$/.exec(line.trim())
    if (!m) continue
    const counts = Object.fromEntries([...m[2].matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [k, Number(v)]))
    recap[m[1]] = { ok: counts.ok ?? 0, changed: counts.changed ?? 0, failed: counts.failed ?? 0, unreachable: counts.unreachable ?? 0, skipped: counts.skipped ?? 0 }
  }
  return recap
}

/**
 * `pgha run -o json`'s document.
 * @param {string} stdout
 * @returns {{ recap: Record<string, Counts>, plays: { name: string, tasks: { name: string, hosts: Record<string, any> }[] }[], elapsedMs: number }}
 */
export function parsePghaJson(stdout) {
  const doc = JSON.parse(stdout)
  return { recap: doc.recap, plays: doc.plays, elapsedMs: doc.elapsedMs }
}

/**
 * Engine-side durations of every host result of tasks running `modules` (task names start with the
 * module's name, as the workload names them).
 * @param {ReturnType<typeof parsePghaJson>} doc @param {string[]} modules @returns {number[]}
 */
export function taskDurations(doc, modules) {
  const out = []
  for (const play of doc.plays) {
    for (const task of play.tasks) {
      if (!modules.some((m) => task.name.startsWith(`${m} `))) continue
      for (const entry of Object.values(task.hosts)) for (const e of [entry].flat()) out.push(e.durationMs)
    }
  }
  return out
}

/**
 * `task @ host: message` of every failed or unreachable result in `pgha run -o json`'s output, so a
 * failed run is reported by what went wrong rather than by the end of a long document.
 * @param {string} stdout @returns {string[]} none when there are none or the output is not that document
 */
export function pghaFailures(stdout) {
  let doc
  try {
    doc = parsePghaJson(stdout)
  } catch {
    return []
  }
  const out = []
  for (const play of doc.plays ?? []) {
    for (const task of play.tasks) {
      for (const [host, entry] of Object.entries(task.hosts)) {
        for (const e of [entry].flat()) if (e.status === 'failed' || e.status === 'unreachable') out.push(`${task.name} @ ${host}: ${e.result?.msg ?? e.status}`)
      }
    }
  }
  return out
}

/** @param {Record<string, Counts>} recap @param {keyof Counts} key @returns {number} */
export function total(recap, key) {
  return Object.values(recap).reduce((n, c) => n + (c[key] ?? 0), 0)
}
