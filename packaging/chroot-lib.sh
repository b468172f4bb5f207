# shellcheck shell=bash
# Helpers for the scripts that work in a Debian chroot (debian13-check.sh, package-check.sh).
# Source it after setting CHROOT_DIR (an absolute path) and SUITE; the caller must be root.
# It sets an EXIT trap that unmounts the /proc it mounted.

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

# Runs a bash command in the chroot with a clean environment; extra NAME=VALUE arguments
# are added to it.
in_chroot() {
  local cmd=$1
  shift
  chroot "${CHROOT_DIR}" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@" \
    /bin/bash -c "${cmd}"
}

# Mount points below a directory (default CHROOT_DIR), deepest first.
mounts_below_chroot() {
  awk -v dir="${1:-${CHROOT_DIR}}/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r
}

# Unmounts everything below a directory, then removes it; fails when something stays mounted.
remove_chroot_dir() {
  local dir=$1 mnt
  while read -r mnt; do
    umount "${mnt}" || umount -l "${mnt}"
  done < <(mounts_below_chroot "${dir}")
  if [[ -n $(mounts_below_chroot "${dir}") ]]; then
    echo "${0##*/}: still mounted below ${dir}; not removing it" >&2
    return 1
  fi
  rm -rf --one-file-system "${dir}"
}

PROC_MOUNTED_HERE=0
chroot_cleanup() {
  if [[ ${PROC_MOUNTED_HERE} -eq 1 ]]; then
    umount "${CHROOT_DIR}/proc" || umount -l "${CHROOT_DIR}/proc" || true
    PROC_MOUNTED_HERE=0
  fi
}
trap chroot_cleanup EXIT

TOTAL_START=${SECONDS} # read by the scripts that source this file
export TOTAL_START
phase_start=${SECONDS}
phase_done() {
  echo "== $1 took $((SECONDS - phase_start))s"
  phase_start=${SECONDS}
}

# Makes CHROOT_DIR a minimal SUITE chroot with debootstrap unless it is one already. debootstrap
# removes CHROOT_DIR/debootstrap when it has finished, so a chroot that still has it was
# interrupted and is made again.
ensure_chroot() {
  local mirror
  if [[ -x ${CHROOT_DIR}/usr/bin/apt-get && ! -e ${CHROOT_DIR}/debootstrap ]]; then
    echo "== reusing the chroot ${CHROOT_DIR}"
    return 0
  fi
  mirror="$(host_debian_mirror)" || {
    echo "${0##*/}: no Debian mirror found in /etc/apt/sources*" >&2
    return 1
  }
  if [[ -e ${CHROOT_DIR}/debootstrap ]]; then
    echo "== removing the unfinished chroot ${CHROOT_DIR}"
    remove_chroot_dir "${CHROOT_DIR}" || return 1
  elif [[ -e ${CHROOT_DIR} && -n $(ls -A "${CHROOT_DIR}") ]]; then
    echo "${0##*/}: ${CHROOT_DIR} is neither empty nor a Debian chroot; not touching it" >&2
    return 1
  fi
  echo "== debootstrap ${SUITE} from ${mirror} into ${CHROOT_DIR}"
  if ! command -v debootstrap >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
  fi
  mkdir -p "$(dirname "${CHROOT_DIR}")"
  debootstrap --variant=minbase "${SUITE}" "${CHROOT_DIR}" "${mirror}"
  phase_done debootstrap
}

# Mounts /proc in the chroot (unmounted on exit) and gives it the host's DNS.
enter_chroot() {
  if ! mountpoint -q "${CHROOT_DIR}/proc"; then
    mount -t proc proc "${CHROOT_DIR}/proc"
    PROC_MOUNTED_HERE=1
  fi
  cp -L /etc/resolv.conf "${CHROOT_DIR}/etc/resolv.conf" 2>/dev/null || true
}
