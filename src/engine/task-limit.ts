// How long a task may run on a host: its `timeout`, and for a module that cannot run in the background,
// its `async` limit. Ansible runs any module as an async job; pgha runs command and shell so (their job is
// a process on the host), and runs any other module with async and poll > 0 in the foreground, bounded by
// the async limit: waiting on the job until it ends or the limit passes is what the task shows either way.
import { getModule } from '../modules/index.js'
import type { Task } from '../playbook/index.js'

/** The task's module runs in the foreground although the task has `async`. */
export const asyncInForeground = (task: Task): boolean => task.async > 0 && getModule(task.module)?.runsAsync !== true

/** The limit in seconds and the failure that says it passed, or undefined for none. */
export function taskLimit(task: Task): { seconds: number; msg: string } | undefined {
  const async = asyncInForeground(task) ? task.async : undefined
  if (async !== undefined && (!task.timeout || async <= task.timeout)) return { seconds: async, msg: `async task did not complete within the requested time - ${async}s` }
  return task.timeout ? { seconds: task.timeout, msg: `task timed out after ${task.timeout}s` } : undefined
}

