// Modules pgha has no implementation of, run as the controller's Ansible runs them: resolution of their
// names at load (resolve.ts), AnsiballZ payloads built by Ansible's code (payload.ts), piped to the host's
// python (run.ts).
export { ansibleModules, type AnsibleModules, type AnsibleLookup } from './resolve.js'
