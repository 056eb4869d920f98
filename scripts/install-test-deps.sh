#!/usr/bin/env bash
# Installs the independent implementations the tests compare against, from Debian's packages:
# Samba (AD DC, ldbsearch, smbclient, ntlm_auth), MIT Kerberos (ktutil, kinit, klist, krb5kdc, kadmin.local)
# and the OpenSSL CLI. Idempotent: does nothing when everything is present.
set -euo pipefail

# samba's Recommends matter here: samba-ad-provision holds the provisioning templates and samba-vfs-modules the
# share modules an AD DC loads, so they are listed and recommends are installed.
packages=(samba samba-dsdb-modules samba-vfs-modules samba-ad-provision python3-samba attr ldb-tools smbclient winbind
          krb5-user krb5-kdc krb5-admin-server openssl git)
# Every program a test or fixture runs (ExternalTool.Require / Find in tests/), so a missing one stops the run here.
tools=(samba-tool samba samba_spnupdate ldbsearch ldbmodify smbclient wbinfo ntlm_auth python3 ktutil kinit klist kvno
       krb5kdc kadmin.local kdb5_util openssl git bash)

missing_tools() {
  missing=()
  for tool in "${tools[@]}"; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
      missing+=("$tool")
    fi
  done
}

missing_tools

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: all tools present"
  exit 0
fi

echo "install-test-deps: missing ${missing[*]}; installing ${packages[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: must run as root to install packages (try: sudo bash scripts/install-test-deps.sh)" >&2
  exit 1
fi

# Keep package scripts from starting smbd/nmbd/krb5kdc daemons: the tests start their own servers on loopback.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null

# A package that installed without the program (renamed, split) must fail the run here, not as scattered test failures.
missing_tools
if [ ${#missing[@]} -ne 0 ]; then
  echo "install-test-deps: still missing after installing: ${missing[*]}" >&2
  exit 1
fi
echo "install-test-deps: installed"
