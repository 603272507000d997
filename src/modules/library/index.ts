// A playbook's own modules (`library/` next to the playbook, in its roles, in ANSIBLE_LIBRARY): finding
// them, telling their kind, running them on the host.
export { libraryFinder, type LibraryFinder, type LibraryLookup } from './find.js'
export { libraryModule, type LibraryFile } from './module.js'
