// Building POSIX sh command text from values: facts, modules, the pg client's psql route, templates and the
// transports all quote through here.
export { shq, shqAlways } from './quote.js'
