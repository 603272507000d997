// Secrets: which variables are secret (names.ts), the secret values of a host and of a task as a run goes
// (values.ts, host-secrets.ts), and how they are kept out of everything pgha prints: text scrubbed by value
// or by assignment (mask-text.ts), printed variables masked by name (mask-vars.ts), task titles and results
// (task-output.ts); Ansible Vault decryption, whose values are secrets everywhere (vault.ts).
export { isSecretName } from './names.js'
export { secretValues } from './values.js'
export { hostSecrets, learnSecrets, taskSecrets, noLogOutputSecrets, type SecretsRun, type SecretsHost } from './host-secrets.js'
export { MASK, scrub, maskSecretAssignments } from './mask-text.js'
export { maskSecrets } from './mask-vars.js'
export { censor, scrubResult, taskTitle } from './task-output.js'
export { decrypt, decryptVaultFile, isVaultText, openVaultText, revealLeaves, revealVault, revealedVaultCount, revealedVaultValues, useVaultSecrets, VaultError, VAULT_HEADER, type VaultSecret } from './vault.js'
export { isVaultFile, openVaultFile } from './vault-file.js'
