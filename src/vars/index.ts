// Variables: scopes and precedence, Jinja2 rendering of strings and conditions as Ansible evaluates them
// (src/vars/jinja/), Handlebars for `.hbs` templates, vars files and extra vars, and the secret values
// scrubbed from output.
export { renderString, renderValue, renderTemplateFile, isTemplated, templateVariables, pureTemplateReads, pureValueReads, type Locate } from './template.js'
export { templateHelperDocs, type HelperDoc } from './template-helpers.js'
export { truthy } from './truthy.js'
export { parseExpression, evaluate, evaluateCondition, expressionVariables, conditionGuards, type Expr, type Condition } from './condition.js'
export { buildHostVars, magicVars, MAGIC_VARIABLES, type VarLayers, type HostVarsOf } from './scope.js'
export { loadVarsFile, parseExtraVars } from './vars-files.js'
export { OMIT, removeOmit } from './omit.js'
export { locateInText } from './position.js'
export { UnsafeText, isUnsafe } from './unsafe.js'
export { templateCatalog, lookupKey, lookupNames, pyStr, setJinjaExtensions } from './jinja/index.js'
export { withLoopItems } from './loop-lookup.js'
