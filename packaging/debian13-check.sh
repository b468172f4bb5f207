#!/usr/bin/env bash
# Builds Tasktrail and runs its tests in a Debian 13 "trixie" chroot (Qt 6.8, GCC 14),
# so a change made on Debian 12 (Qt 6.4) is known to build there too.
#
# Usage: sudo packaging/debian13-check.sh [--prepare] [CHROOT_DIR]
#   CHROOT_DIR defaults to $TASKTRAIL_CHROOT, else /work/chroots/trixie.
#   --prepare only makes the chroot and installs the packages (CI does it during the
#   Debian 12 build), then exits.
#
# The chroot is created with debootstrap if it is missing (an unfinished one left by an
# interrupted debootstrap is removed and made again); the Debian mirror is the one this
# machine's apt sources use. A finished chroot is reused, and packages are only installed
# when some are missing; ccache in the chroot keeps what earlier runs compiled. The current
# working tree (uncommitted files included, build/ excluded) is copied to CHROOT_DIR/src and
# built there with the dev preset (warnings are errors); the check fails unless CMake found
# KF6SyntaxHighlighting, then ctest runs.
set -euo pipefail

PREPARE=0
if [[ ${1:-} == --prepare ]]; then
  PREPARE=1
  shift
fi
CHROOT_DIR="${1:-${TASKTRAIL_CHROOT:-/work/chroots/trixie}}"
SUITE=trixie
SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES=(g++ cmake ninja-build pkg-config qt6-base-dev libqt6sql6-sqlite libsqlite3-dev zlib1g-dev libzip-dev
          sqlite3 git ca-certificates libssl-dev fonts-dejavu-core
          libkf6syntaxhighlighting-dev xvfb xauth
          qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qt6-svg-plugins libqt6sql6-psql qt6-tools-dev
          qtkeychain-qt6-dev poppler-utils ccache libpq-dev postgresql help2man appstream desktop-file-utils)

if [[ ${EUID} -ne 0 ]]; then
  echo "debian13-check: must run as root (debootstrap and chroot)" >&2
  exit 1
fi
[[ -n ${CHROOT_DIR} && ${CHROOT_DIR} != / ]] || {
  echo "debian13-check: bad chroot directory '${CHROOT_DIR}'" >&2
  exit 1
}
CHROOT_DIR="$(realpath -m "${CHROOT_DIR}")"

# shellcheck source=packaging/chroot-lib.sh
source "${SRC_DIR}/packaging/chroot-lib.sh"

# 1. The chroot.
ensure_chroot
enter_chroot

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
if [[ ${PREPARE} -eq 1 ]]; then
  echo "== ${CHROOT_DIR} prepared in $((SECONDS - TOTAL_START))s"
  exit 0
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
