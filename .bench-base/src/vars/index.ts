// Variables: scopes and precedence, Handlebars rendering (strict, noEscape), the `when` expression language,
// vars files and extra vars, and the secret values scrubbed from output.
export { renderString, renderValue, isTemplated, templateVariables, type Locate } from './template.js'
export { templateHelperDocs, shellQuote, type HelperDoc } from './template-helpers.js'
export { truthy } from './truthy.js'
export { parseExpression, evaluate, evaluateCondition, expressionVariables, type Expr, type Condition } from './expression/index.js'
export { buildHostVars, magicVars, MAGIC_VARIABLES, type VarLayers, type HostVarsOf } from './scope.js'
export { secretValues, scrub, maskSecretAssignments, MASK } from './secrets.js'
export { loadVarsFile, parseExtraVars } from './vars-files.js'
export { locateInText } from './position.js'
