// yum: the package module, refusing hosts that do not use yum or dnf.
import { packageModule } from './package.js'

export default packageModule('yum', 'Install, upgrade or remove RPM packages (the package module, on yum/dnf hosts only).', ['yum', 'dnf'], { 'expire-cache': 'update_cache' })
