// For tests of read-ahead across become users: a play whose batch of root's tasks is followed by a task
// of another user, and run options that record each command a run sends (the task that sent it and the
// user it runs as, '' the login user), to check in whose shell read-ahead read what.
import { openTransport, type ConnectionSpec, type Transport } from '../../src/transport/index.js'

export function recorded(open: (spec: ConnectionSpec) => Transport = openTransport) {
  let task = ''
  const commands: { task: string; user: string }[] = []
  return {
    commands,
    /** The users the task's commands ran as, sorted. */
    users: (name: string) => commands.filter((c) => c.task === name).map((c) => c.user).sort(),
    onEvent: (e: { type: string; name?: string }) => {
      if (e.type === 'task:start') task = e.name ?? ''
    },
    openTransport: (spec: ConnectionSpec) => {
      const t = open(spec)
      const exec = t.exec.bind(t)
      t.exec = (command, o) => {
        commands.push({ task, user: o?.become ? (o.user ?? 'root') : '' })
        return exec(command, o)
      }
      return t
    },
  }
}

/**
 * `first` (tasks, or nothing), then two stats as root that start a batch once what `first` read has
 * settled (meta ends the window before them), then `last`, a task of another become user.
 */
export function crossingPlay(first: string, last: string): string {
  return `
- hosts: all
  gather_facts: false
  become: true
  tasks:${first}
    - meta: noop
    - name: stat a
      stat: { path: /tmp }
    - name: stat b
      stat: { path: /etc }${last}
`
}
