// service: Ansible's generic service module; pgha targets systemd hosts, so it is the systemd module.
import systemd, { unitParams } from './systemd.js'
import { defineModule } from './types.js'

export default defineModule({ ...systemd, params: unitParams, aliases: undefined, name: 'service', description: 'Manage a service (the systemd module under its generic name).' })
