#!/usr/bin/env bash
# Builds Tasktrail and runs its tests in a Debian 13 "trixie" chroot (Qt 6.8, GCC 14),
# so a change made on Debian 12 (Qt 6.4) is known to build there too.
#
# Usage: sudo packaging/debian13-check.sh [CHROOT_DIR]
#   CHROOT_DIR defaults to $TASKTRAIL_CHROOT, else /work/chroots/trixie.
#
# The chroot is created with debootstrap if it is missing (an unfinished one left by an
# interrupted debootstrap is removed and made again); the Debian mirror is the one this
# machine's apt sources use. A finished chroot is reused, and packages are only installed
# when some are missing; ccache in the chroot keeps what earlier runs compiled. The current
# working tree (uncommitted files included, build/ excluded) is copied to CHROOT_DIR/src and
# built there with the dev preset (warnings are errors); the check fails unless CMake found
# KF6SyntaxHighlighting, then ctest runs.
set -euo pipefail

CHROOT_DIR="${1:-${TASKTRAIL_CHROOT:-/work/chroots/trixie}}"
SUITE=trixie
SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES=(g++ cmake ninja-build pkg-config qt6-base-dev libqt6sql6-sqlite libsqlite3-dev zlib1g-dev libzip-dev
          sqlite3 git ca-certificates libssl-dev fonts-dejavu-core
          libkf6syntaxhighlighting-dev xvfb xauth
          qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libqt6sql6-psql qt6-tools-dev
          qtkeychain-qt6-dev poppler-utils ccache libpq-dev postgresql)

if [[ ${EUID} -ne 0 ]]; then
  echo "debian13-check: must run as root (debootstrap and chroot)" >&2
  exit 1
fi
[[ -n ${CHROOT_DIR} && ${CHROOT_DIR} != / ]] || {
  echo "debian13-check: bad chroot directory '${CHROOT_DIR}'" >&2
  exit 1
}
CHROOT_DIR="$(realpath -m "${CHROOT_DIR}")"

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

# Mount points below CHROOT_DIR, deepest first.
mounts_below_chroot() {
  awk -v dir="${CHROOT_DIR}/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r
}

PROC_MOUNTED_HERE=0
cleanup() {
  if [[ ${PROC_MOUNTED_HERE} -eq 1 ]]; then
    umount "${CHROOT_DIR}/proc" || umount -l "${CHROOT_DIR}/proc" || true
  fi
}
trap cleanup EXIT

TOTAL_START=${SECONDS}
phase_start=${SECONDS}
phase_done() {
  echo "== $1 took $((SECONDS - phase_start))s"
  phase_start=${SECONDS}
}

# 1. The chroot. debootstrap removes CHROOT_DIR/debootstrap when it has finished, so a
# chroot that still has it was interrupted and is made again.
if [[ ! -x ${CHROOT_DIR}/usr/bin/apt-get || -e ${CHROOT_DIR}/debootstrap ]]; then
  MIRROR="$(host_debian_mirror)" || {
    echo "debian13-check: no Debian mirror found in /etc/apt/sources*" >&2
    exit 1
  }
  if [[ -e ${CHROOT_DIR}/debootstrap ]]; then
    echo "== removing the unfinished chroot ${CHROOT_DIR}"
    while read -r mnt; do
      umount "${mnt}" || umount -l "${mnt}"
    done < <(mounts_below_chroot)
    if [[ -n $(mounts_below_chroot) ]]; then
      echo "debian13-check: still mounted below ${CHROOT_DIR}; not removing it" >&2
      exit 1
    fi
    rm -rf --one-file-system "${CHROOT_DIR}"
  elif [[ -e ${CHROOT_DIR} && -n $(ls -A "${CHROOT_DIR}") ]]; then
    echo "debian13-check: ${CHROOT_DIR} is neither empty nor a Debian chroot; not touching it" >&2
    exit 1
  fi
  echo "== debootstrap ${SUITE} from ${MIRROR} into ${CHROOT_DIR}"
  if ! command -v debootstrap >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
  fi
  mkdir -p "$(dirname "${CHROOT_DIR}")"
  debootstrap --variant=minbase "${SUITE}" "${CHROOT_DIR}" "${MIRROR}"
  phase_done debootstrap
else
  echo "== reusing the chroot ${CHROOT_DIR}"
fi

if ! mountpoint -q "${CHROOT_DIR}/proc"; then
  mount -t proc proc "${CHROOT_DIR}/proc"
  PROC_MOUNTED_HERE=1
fi
cp -L /etc/resolv.conf "${CHROOT_DIR}/etc/resolv.conf" 2>/dev/null || true

# 2. Build dependencies: only the missing ones, so a reused chroot needs no download.
MISSING=()
for p in "${PACKAGES[@]}"; do
  dpkg-query --admindir="${CHROOT_DIR}/var/lib/dpkg" -W -f='${Status}' "${p}" 2>/dev/null |
    grep -q 'install ok installed' || MISSING+=("${p}")
done
if [[ ${#MISSING[@]} -gt 0 ]]; then
  echo "== installing ${MISSING[*]}"
  in_chroot "apt-get update -q && apt-get install -y -q --no-install-recommends ${MISSING[*]}"
  phase_done install
else
  echo "== all ${#PACKAGES[@]} packages already installed"
fi
# shellcheck disable=SC2016 # \${...} is for dpkg-query, not for this shell
in_chroot 'g++ --version | head -n1; cmake --version | head -n1;
           dpkg-query -W -f="\${Package} \${Version}\n" qt6-base-dev libsqlite3-dev \
             libkf6syntaxhighlighting-dev'

# 3. A fresh copy of the working tree.
echo "== copying ${SRC_DIR} to ${CHROOT_DIR}/src"
rm -rf "${CHROOT_DIR}/src"
mkdir -p "${CHROOT_DIR}/src"
# GNU tar exits 1 when a file changes while it is read (an editor or git at work in the
# tree); the copy is still usable, so only a fatal error (2) stops the check.
{ tar --exclude=./build --warning=no-file-changed --ignore-failed-read \
    -C "${SRC_DIR}" -cf - . || [[ $? -eq 1 ]]; } | tar -C "${CHROOT_DIR}/src" -xf -

phase_done copy

# 4. Configure, and make sure the KSyntaxHighlighting build path is the one taken.
in_chroot 'cd /src && cmake --preset dev'
CACHE="${CHROOT_DIR}/src/build/dev/CMakeCache.txt"
KF6_DIR="$(sed -n 's/^KF6SyntaxHighlighting_DIR:[A-Z]*=//p' "${CACHE}")"
if [[ -z ${KF6_DIR} || ${KF6_DIR} == *NOTFOUND ]]; then
  echo "debian13-check: FAILED: CMake did not find KF6SyntaxHighlighting" \
       "(KF6SyntaxHighlighting_DIR='${KF6_DIR}' in ${CACHE});" \
       "is libkf6syntaxhighlighting-dev installed in the chroot?" >&2
  exit 1
fi
if ! grep -q -- -DTASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING \
    "${CHROOT_DIR}/src/build/dev/compile_commands.json"; then
  echo "debian13-check: FAILED: KF6SyntaxHighlighting_DIR is ${KF6_DIR}, but" \
       "find_package(KF6SyntaxHighlighting) failed, so TASKTRAIL_HAVE_KSYNTAXHIGHLIGHTING" \
       "is not defined; run 'cmake --preset dev' in the chroot without QUIET to see why" >&2
  exit 1
fi
echo "== KF6SyntaxHighlighting found: ${KF6_DIR}"
phase_done configure

# 5. Build and test.
JOBS="$(nproc)"
in_chroot "cd /src && cmake --build --preset dev -j ${JOBS}"
phase_done build
in_chroot "cd /src && ctest --preset dev -j ${JOBS} --no-tests=error"
phase_done tests
echo "== debian13-check passed in $((SECONDS - TOTAL_START))s"
