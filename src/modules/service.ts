// service: Ansible's generic service module; pgha targets systemd hosts, so it is the systemd module.
import systemd, { unitParams } from './systemd.js'
import { defineModule } from './types.js'

// Ansible's service has no daemon_reexec: that is systemd's.
const params = unitParams.refine((p) => !p.daemon_reexec, { message: 'daemon_reexec is a parameter of the systemd module, not of service' })

export default defineModule({ ...systemd, params, aliases: undefined, name: 'service', description: 'Manage a service (the systemd module under its generic name).' })
