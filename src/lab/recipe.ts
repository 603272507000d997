// Everything that shapes the base image. Its hash names the cached image, so changing any of it rebuilds.
import { createHash } from 'node:crypto'

export const RECIPE = {
  suite: 'bookworm',
  mirror: 'http://deb.debian.org/debian',
  /** Installed by debootstrap: what a fresh minimal server has before the playbooks run. */
  include: ['systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'sudo', 'iproute2', 'procps', 'less'],
  /**
   * Downloaded into the image's apt cache but not installed: the playbooks install them inside nodes that
   * have no route to any registry. PostgreSQL 15, repmgr's build dependencies (from its Debian
   * Build-Depends), what configure needs to build PostgreSQL itself from its .tar.bz2 with the packaged
   * build's options (the article's layout: bzip2, pkg-config, libsystemd-dev besides repmgr's), pgBackRest
   * (WAL archive and backups), and python3 so Ansible can run on the same hosts for the benchmark.
   * The public roles the e2e tests run unmodified with pgha and with ansible-playbook need the rest:
   * geerlingguy.postgresql installs postgresql, postgresql-contrib, libpq-dev and python3-psycopg2 (which
   * Ansible's postgresql_* modules import), and Ansible's apt module imports python3-apt.
   */
  cache: [
    'postgresql-15', 'postgresql-client-15', 'postgresql-server-dev-15', 'build-essential', 'flex',
    'libselinux1-dev', 'libxml2-dev', 'libxslt1-dev', 'libssl-dev', 'libpam0g-dev', 'libreadline-dev',
    'libedit-dev', 'libzstd-dev', 'liblz4-dev', 'libkrb5-dev', 'zlib1g-dev', 'python3', 'openssh-client',
    'rsync', 'pgbackrest', 'bzip2', 'pkg-config', 'libsystemd-dev',
    'postgresql', 'postgresql-contrib', 'libpq-dev', 'python3-psycopg2', 'python3-apt',
  ],
  // The sudo password differs from the name, so scrubbing it from output cannot hide the user name.
  user: { name: 'deploy', password: 'lab-sudo-pw' },
} as const

/** Runs in the image's chroot after debootstrap, with the host's resolv.conf for the download. */
export const SETUP_SCRIPT = `set -eu
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
# Each node gets its own host keys and machine id before it boots.
rm -f /etc/ssh/ssh_host_*
: > /etc/machine-id
# A login user that needs sudo with a password, so become is tested for real.
useradd -m -s /bin/bash -G sudo ${RECIPE.user.name}
echo '${RECIPE.user.name}:${RECIPE.user.password}' | chpasswd
install -d -m 0700 /root/.ssh /home/${RECIPE.user.name}/.ssh
chown ${RECIPE.user.name}: /home/${RECIPE.user.name}/.ssh
printf '%s ALL=(ALL:ALL) ALL\\n' ${RECIPE.user.name} > /etc/sudoers.d/${RECIPE.user.name}
# As CentOS 7 ships it: sudo refuses to run without a tty.
cat > /etc/sudoers.d/00-requiretty <<'SUDOERS'
#
# Disable "ssh hostname sudo <cmd>", because it will show the password in clear.
#         You have to run "ssh -t hostname sudo <cmd>".
#
Defaults    requiretty
SUDOERS
chmod 0440 /etc/sudoers.d/*
visudo -c >/dev/null
# Keep what was downloaded; nodes have no route anyway, so fail fast instead of retrying.
cat > /etc/apt/apt.conf.d/90pgha-lab <<'APT'
APT::Keep-Downloaded-Packages "true";
Binary::apt::APT::Keep-Downloaded-Packages "true";
Acquire::Retries "0";
Acquire::http::Timeout "3";
APT
rm -f /etc/apt/apt.conf.d/docker-clean
apt-get update -q
apt-get install -q -y --download-only ${RECIPE.cache.join(' ')}
rm -f /var/cache/apt/archives/lock /var/cache/apt/archives/partial/*
`

export function recipeHash(): string {
  return createHash('sha256').update(JSON.stringify({ RECIPE, SETUP_SCRIPT })).digest('hex').slice(0, 16)
}
