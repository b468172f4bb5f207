#!/usr/bin/env bash
# Builds the Debian package and checks it as a person would install it: in a clean Debian 12
# "bookworm" chroot, apt installs the .deb and resolves its Depends (no Recommends), then
# tasktrail-cli loads a demo database and prints its stats, and the desktop app starts
# offscreen on it and takes a tasktrail:// link from a second start.
#
# Usage: sudo packaging/package-check.sh [--prepare] [CHROOT_DIR]
#   CHROOT_DIR defaults to $TASKTRAIL_PACKAGE_CHROOT, else /work/chroots/bookworm.
#   --prepare only makes the clean chroot (CI does it during the Debian 12 build), then exits.
#
# CHROOT_DIR holds a minimal bookworm made once with debootstrap (from this machine's apt
# mirror) and never changed; each run copies it to CHROOT_DIR-test and installs there, so
# every run starts from a system that has never seen Tasktrail or its dependencies. The
# package is built from the working tree in build/package (RelWithDebInfo, no tests) with
# cpack, unless TASKTRAIL_DEB names a .deb built already; either must hold no debug info. Its
# size, installed size and Depends are printed.
set -euo pipefail

PREPARE=0
if [[ ${1:-} == --prepare ]]; then
  PREPARE=1
  shift
fi
BASE_DIR="${1:-${TASKTRAIL_PACKAGE_CHROOT:-/work/chroots/bookworm}}"
SUITE=bookworm
SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SRC_DIR}/build/package"

if [[ ${EUID} -ne 0 ]]; then
  echo "package-check: must run as root (debootstrap and chroot)" >&2
  exit 1
fi
[[ -n ${BASE_DIR} && ${BASE_DIR} != / ]] || {
  echo "package-check: bad chroot directory '${BASE_DIR}'" >&2
  exit 1
}
BASE_DIR="$(realpath -m "${BASE_DIR}")"

# shellcheck source=packaging/chroot-lib.sh
source "${SRC_DIR}/packaging/chroot-lib.sh"

if [[ ${PREPARE} -eq 1 ]]; then
  CHROOT_DIR="${BASE_DIR}"
  ensure_chroot
  echo "== ${CHROOT_DIR} prepared in $((SECONDS - TOTAL_START))s"
  exit 0
fi

# 1. The package, from the working tree.
if [[ -n ${TASKTRAIL_DEB:-} ]]; then
  DEB="$(realpath "${TASKTRAIL_DEB}")"
else
  cmake -S "${SRC_DIR}" -B "${BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTASKTRAIL_BUILD_TESTS=OFF -DTASKTRAIL_WERROR=ON
  cmake --build "${BUILD_DIR}" -j "$(nproc)"
  rm -f "${BUILD_DIR}"/tasktrail_*.deb
  (cd "${BUILD_DIR}" && cpack -G DEB)
  DEB="$(ls "${BUILD_DIR}"/tasktrail_*.deb)"
fi
echo "== ${DEB##*/}: $(stat -c %s "${DEB}") bytes," \
     "Installed-Size $(dpkg-deb -f "${DEB}" Installed-Size) KiB"
echo "== Depends: $(dpkg-deb -f "${DEB}" Depends)"
CONTENTS="$(mktemp -d)"
trap 'rm -rf "${CONTENTS}"; chroot_cleanup' EXIT
dpkg-deb -x "${DEB}" "${CONTENTS}"
while IFS= read -r -d '' elf; do
  if readelf -S "${elf}" 2>/dev/null | grep -qE '\.debug_|\.symtab'; then
    echo "package-check: FAILED: ${elf#"${CONTENTS}"} holds debug info or symbols" >&2
    exit 1
  fi
done < <(find "${CONTENTS}" -type f -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print0)
phase_done package

# 2. A fresh copy of the clean chroot.
CHROOT_DIR="${BASE_DIR}"
ensure_chroot
CHROOT_DIR="${BASE_DIR}-test"
if [[ -e ${CHROOT_DIR} ]]; then
  remove_chroot_dir "${CHROOT_DIR}"
fi
cp -a "${BASE_DIR}" "${CHROOT_DIR}"
enter_chroot
phase_done chroot

# 3. apt installs the package and what it depends on, nothing it only recommends.
cp "${DEB}" "${CHROOT_DIR}/tmp/"
in_chroot "apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/${DEB##*/}"
phase_done install
for f in /usr/bin/tasktrail /usr/bin/tasktrail-cli \
         /usr/share/applications/io.tasktrail.Tasktrail.desktop \
         /usr/share/metainfo/io.tasktrail.Tasktrail.metainfo.xml \
         /usr/share/icons/hicolor/scalable/apps/io.tasktrail.Tasktrail.svg \
         /usr/share/man/man1/tasktrail-cli.1.gz /usr/share/doc/tasktrail/copyright; do
  [[ -e ${CHROOT_DIR}${f} ]] || { echo "package-check: FAILED: ${f} is not installed" >&2; exit 1; }
done

# 4. The CLI on a demo database, then the app offscreen: a first start on the database, and
# a second start with a link that the first takes (the second exits 0 only when it did).
# shellcheck disable=SC2016 # expanded by the chroot's shell
in_chroot 'set -e
  tasktrail-cli demo --out /tmp/demo --scale 0.1 >/tmp/demo.txt
  tasktrail-cli ingest --db /tmp/demo.db /tmp/demo
  tasktrail-cli stats --db /tmp/demo.db
  task=$(sed -n "s/^showcase: campaign [^,]*, task \(.*\)$/\1/p" /tmp/demo.txt)
  tasktrail --version
  mkdir -m 700 -p "${XDG_RUNTIME_DIR}"
  tasktrail --db /tmp/demo.db >/tmp/app.log 2>&1 &
  app=$!
  # The first start listens for links once its window is up.
  for _ in $(seq 1 300); do
    compgen -G "${XDG_RUNTIME_DIR}/tasktrail-*" >/dev/null && break
    kill -0 "${app}" 2>/dev/null || { cat /tmp/app.log; exit 1; }
    sleep 0.1
  done
  status=0
  timeout 60 tasktrail --db /tmp/demo.db "tasktrail://task/${task}" || status=$?
  kill "${app}"; wait "${app}" || true
  cat /tmp/app.log
  [ "${status}" = 0 ] || { echo "the app did not take a tasktrail:// link (${status})" >&2; exit 1; }
  echo "the app started offscreen and took tasktrail://task/${task}"' \
  QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp/run
phase_done run
echo "== package-check passed in $((SECONDS - TOTAL_START))s"
