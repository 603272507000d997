// Playbook loading and validation: YAML with positions -> plays and task nodes, every problem reported
// at once with file:line:col before any host is contacted.
export { loadPlaybook } from './load.js'
export { IncludeNotFound, includedTaskPath, loadTasksFile } from './imports.js'
export { collectTemplateSources, definedAtRunTime, registeredNames, setFactNames, type TemplateSource } from './template-sources.js'
export { coerceArgs, coerceValue, schemaShape, type SchemaShape } from './module-args.js'
export { parseFreeForm, splitArgs } from './free-form.js'
export { walkNodes, walkPlay } from './walk.js'
export { varLoc } from './inherit.js'
export { didYouMean } from './suggest.js'
export { inReadingOrder } from './problems.js'
export { loadIncludedRole } from './roles/uses.js'
export { argumentSpecOf, roleHandlers } from './roles/load.js'
export { validateArguments, type ArgumentProblem } from './roles/argument-spec.js'
export { rolesOf } from './template-sources.js'
export { toBool, toNumber } from './reader.js'
export type {
  Block, Condition, IncludeRole, IncludeTasks, Inherited, LoadOptions, Play, Playbook, Role, RoleContext, RoleEntryFiles, RoleNode,
  HostOrder, KeywordTemplate, Task, TaskNode, TaskSettings, Templatable, Vars, VarsFile, VarPrompt,
} from './types.js'
