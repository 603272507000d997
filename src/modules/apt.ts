// apt: the package module, refusing hosts that do not use apt.
import { packageModule } from './package.js'

export default packageModule('apt', 'Install, upgrade or remove Debian packages (the package module, on apt hosts only).', ['apt'], { package: 'name', 'install-recommends': 'install_recommends', 'update-cache': 'update_cache', 'default-release': 'default_release', 'allow-downgrade': 'allow_downgrade', allow_downgrades: 'allow_downgrade', 'allow-downgrades': 'allow_downgrade' })
