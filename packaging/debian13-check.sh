#!/usr/bin/env bash
# Builds Tasktrail and runs its tests in a Debian 13 "trixie" chroot (Qt 6.8, GCC 14),
# so a change made on Debian 12 (Qt 6.4) is known to build there too.
#
# Usage: sudo packaging/debian13-check.sh [CHROOT_DIR]     (default /work/chroots/trixie)
#
# The chroot is created with debootstrap if it is missing; the Debian mirror is the one
# this machine's apt sources use. The current working tree (uncommitted files included,
# build/ excluded) is copied to CHROOT_DIR/src and built there with the dev preset
# (warnings are errors), then ctest runs.
set -euo pipefail

CHROOT_DIR="${1:-/work/chroots/trixie}"
SUITE=trixie
SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES=(g++ cmake ninja-build pkg-config qt6-base-dev libqt6sql6-sqlite libsqlite3-dev
          sqlite3 git ca-certificates)

if [[ ${EUID} -ne 0 ]]; then
  echo "debian13-check: must run as root (debootstrap and chroot)" >&2
  exit 1
fi

# The Debian archive URI from this machine's apt sources (one-line .list files and
# deb822 .sources files), skipping the security archive. A URI whose path ends in
# /debian is preferred; otherwise the first one found is used.
host_debian_mirror() {
  local files=() uris
  shopt -s nullglob
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  files+=(/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  shopt -u nullglob
  [[ ${#files[@]} -gt 0 ]] || return 1
  uris="$(awk '
      /^[[:space:]]*deb[[:space:]]/ {
        for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break }
      }
      /^URIs:/ { for (i = 2; i <= NF; i++) print $i }
    ' "${files[@]}" | grep -v -- '-security' | sed 's:/*$::')" || true
  [[ -n ${uris} ]] || return 1
  grep -m1 '/debian$' <<<"${uris}" || head -n1 <<<"${uris}"
}

in_chroot() {
  chroot "${CHROOT_DIR}" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    /bin/bash -c "$1"
}

PROC_MOUNTED_HERE=0
cleanup() {
  if [[ ${PROC_MOUNTED_HERE} -eq 1 ]]; then
    umount "${CHROOT_DIR}/proc" || umount -l "${CHROOT_DIR}/proc" || true
  fi
}
trap cleanup EXIT

# 1. The chroot.
SECONDS=0
if [[ ! -x ${CHROOT_DIR}/usr/bin/apt-get ]]; then
  MIRROR="$(host_debian_mirror)" || {
    echo "debian13-check: no Debian mirror found in /etc/apt/sources*" >&2
    exit 1
  }
  echo "== debootstrap ${SUITE} from ${MIRROR} into ${CHROOT_DIR}"
  if ! command -v debootstrap >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
  fi
  mkdir -p "$(dirname "${CHROOT_DIR}")"
  debootstrap --variant=minbase "${SUITE}" "${CHROOT_DIR}" "${MIRROR}"
  echo "== debootstrap took ${SECONDS}s"
fi

if ! mountpoint -q "${CHROOT_DIR}/proc"; then
  mount -t proc proc "${CHROOT_DIR}/proc"
  PROC_MOUNTED_HERE=1
fi
cp -L /etc/resolv.conf "${CHROOT_DIR}/etc/resolv.conf" 2>/dev/null || true

# 2. Build dependencies.
SECONDS=0
echo "== installing ${PACKAGES[*]}"
in_chroot "apt-get update -q && apt-get install -y -q --no-install-recommends ${PACKAGES[*]}"
echo "== install took ${SECONDS}s"
# shellcheck disable=SC2016 # \${...} is for dpkg-query, not for this shell
in_chroot 'g++ --version | head -n1; cmake --version | head -n1;
           dpkg-query -W -f="\${Package} \${Version}\n" qt6-base-dev libsqlite3-dev'

# 3. A fresh copy of the working tree.
echo "== copying ${SRC_DIR} to ${CHROOT_DIR}/src"
rm -rf "${CHROOT_DIR}/src"
mkdir -p "${CHROOT_DIR}/src"
# GNU tar exits 1 when a file changes while it is read (an editor or git at work in the
# tree); the copy is still usable, so only a fatal error (2) stops the check.
{ tar --exclude=./build --warning=no-file-changed --ignore-failed-read \
    -C "${SRC_DIR}" -cf - . || [[ $? -eq 1 ]]; } | tar -C "${CHROOT_DIR}/src" -xf -

# 4. Build and test.
SECONDS=0
in_chroot 'cd /src && cmake --preset dev && cmake --build --preset dev -j2 &&
           ctest --preset dev --no-tests=error'
echo "== build and tests took ${SECONDS}s"
