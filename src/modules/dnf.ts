// dnf: the package module, refusing hosts that do not use dnf (Fedora, EL 8 and later).
import { packageModule } from './package.js'

export default packageModule('dnf', 'Install, upgrade or remove RPM packages with dnf (the package module, on dnf hosts only).', ['dnf'], { 'expire-cache': 'update_cache' })
