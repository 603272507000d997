// Building POSIX sh command text from values: facts, modules, the pg client's psql route, templates and the
// transports all quote through here.
export { shq, shqAlways } from './quote.js'
export { commandLine, pathOperand, type Flag } from './argv.js'
export { LineFormatError, singleLine, chpasswdLine, confQuote, confValue, conninfo, conninfoValue, dbnameArg, hbaField, hostsField, sudoersWord, unitValue, unitWord } from './line-formats.js'
export { lineFormatHelpers } from './line-format-helpers.js'
