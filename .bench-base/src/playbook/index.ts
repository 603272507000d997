// Playbook loading and validation: YAML with positions -> plays and task nodes, every problem reported
// at once with file:line:col before any host is contacted.
export { loadPlaybook } from './load.js'
export { loadTasksFile } from './imports.js'
export { collectTemplateSources, definedAtRunTime, registeredNames, setFactNames, type TemplateSource } from './template-sources.js'
export { coerceArgs, coerceValue, schemaShape, type SchemaShape } from './module-args.js'
export { parseFreeForm, splitArgs } from './free-form.js'
export { walkNodes, walkPlay } from './walk.js'
export { didYouMean } from './suggest.js'
export { inReadingOrder } from './problems.js'
export type {
  Block, Condition, IncludeTasks, Inherited, LoadOptions, Play, Playbook, Task, TaskNode, TaskSettings, Vars, VarsFile,
} from './types.js'
