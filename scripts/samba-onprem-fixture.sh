#!/usr/bin/env bash
# Provisions a throwaway Samba AD domain (no daemon), creates users and computers with known passwords,
# and exports them, secrets included, as LDIF plus a JSON manifest of the known passwords.
#
#   scripts/samba-onprem-fixture.sh <outdir>
#
# Writes <outdir>/directory.ldif and <outdir>/directory.manifest.json. Re-running replaces both. Every password here is a
# test password, documented on purpose (see samples/README.md).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 <outdir>" >&2
    exit 2
fi

outdir=$1
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

realm_dns=phs.example.test
realm=PHS.EXAMPLE.TEST
netbios=PHSEXAMPLE
basedn=DC=phs,DC=example,DC=test
adminpass='Adm1n-Fixture-Pass!'

need_tool() {
    if ! command -v "$1" >/dev/null 2>&1; then
        if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
            echo "samba-onprem-fixture: $1 missing, installing samba and ldb-tools" >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends samba ldb-tools >&2
        else
            echo "samba-onprem-fixture: $1 is not installed (apt-get install samba ldb-tools)" >&2
            exit 3
        fi
    fi
}
need_tool samba-tool
need_tool ldbsearch
need_tool ldbmodify

work=$(mktemp -d "${TMPDIR:-/tmp}/phs-samba.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

log() { echo "samba-onprem-fixture: $*" >&2; }

log "provisioning $realm in $work"
# --plaintext-secrets: Samba otherwise encrypts unicodePwd/supplementalCredentials at rest with a key in
# private/encrypted_secrets.key; plaintext keeps the export independent of that module.
samba-tool domain provision \
    --targetdir="$work" --realm="$realm" --domain="$netbios" \
    --server-role=dc --dns-backend=NONE --use-rfc2307 \
    --adminpass="$adminpass" --plaintext-secrets \
    --option="interfaces=lo" --option="bind interfaces only=yes" >"$work/provision.log" 2>&1 \
    || { cat "$work/provision.log" >&2; exit 1; }

sam="$work/private/sam.ldb"
conf="$work/etc/smb.conf"
st() { samba-tool "$@" -H "$sam" --configfile="$conf" >>"$work/tool.log" 2>&1 || { cat "$work/tool.log" >&2; exit 1; }; }

# --store-plaintext=on only takes effect for accounts with "store password using reversible encryption" (ivan).
st domain passwordsettings set --complexity=off --min-pwd-length=1 --min-pwd-age=0 --history-length=0 --store-plaintext=on

st ou create "OU=Staff,$basedn"
st ou create "OU=Workstations,$basedn"

# The accounts; keep the manifest at the end of this script in step with them.
st user create Alice.Smith 'First-Passw0rd!' --use-username-as-cn --userou=OU=Staff --given-name=Alice --surname=Smith
# A second password set: the first one moves to the old credentials of Primary:Kerberos-Newer-Keys.
st user setpassword Alice.Smith --newpassword='Alice-Pa$$w0rd-2'
st user create bob 'Bob-Pa$$w0rd' --use-username-as-cn --userou=OU=Staff
st user create CarolW 'Carol-Pa$$w0rd' --use-username-as-cn --userou=OU=Staff --given-name=Carol --surname=White
st user create dave.nonascii 'Žluťoučký kůň úpěl ďábelské ódy' --use-username-as-cn --userou=OU=Staff
st user create Emoji.User 'Sunrise🌅Coffee☕42' --use-username-as-cn --userou=OU=Staff
st user create frank.temp 'Temp-Passw0rd-1' --use-username-as-cn --userou=OU=Staff --must-change-at-next-login
st user create grace.disabled 'Disabled-Pa$$w0rd' --use-username-as-cn --userou=OU=Staff
st user disable grace.disabled
st user create heidi.filtered 'Filtered-Pa$$w0rd' --use-username-as-cn --userou=OU=Staff
st user create ivan.reversible 'Reversible-Pa$$w0rd' --use-username-as-cn --userou=OU=Staff
st computer create WS01 --computerou=OU=Workstations
st user setpassword 'WS01$' --newpassword='Ws01-Machine-Pa$$w0rd'
st computer create SRV-APP02 --computerou=OU=Workstations
st user setpassword 'SRV-APP02$' --newpassword='Srv-App02-Machine-Pa$$w0rd'
st contact create 'Zoe External' --ou=OU=Staff --given-name=Zoe --surname=External

# Attribute edits samba-tool has no switch for.
cat >"$work/edits.ldif" <<LDIF
dn: CN=bob,OU=Staff,$basedn
changetype: modify
delete: userPrincipalName

dn: CN=CarolW,OU=Staff,$basedn
changetype: modify
replace: userPrincipalName
userPrincipalName: carol.white@$realm_dns

dn: CN=heidi.filtered,OU=Staff,$basedn
changetype: modify
replace: adminDescription
adminDescription: PHSFiltered

dn: CN=ivan.reversible,OU=Staff,$basedn
changetype: modify
replace: userAccountControl
userAccountControl: 640
LDIF
ldbmodify -H "$sam" "$work/edits.ldif" >>"$work/tool.log" 2>&1 || { cat "$work/tool.log" >&2; exit 1; }
# Reversible encryption only applies to passwords set after the flag: set it again so Primary:CLEARTEXT is stored.
st user setpassword ivan.reversible --newpassword='Reversible-Pa$$w0rd'
# Set CarolW's password again now that her UPN differs from her sAMAccountName: the stored default salt then shows
# which name the DC builds a user's salt from.
st user setpassword CarolW --newpassword='Carol-Pa$$w0rd'

log "exporting"
ldbsearch -H "$sam" -b "$basedn" \
    "(&(|(objectClass=user)(objectClass=contact))(!(isCriticalSystemObject=TRUE)))" \
    dn objectClass cn sAMAccountName userPrincipalName objectSid objectGUID userAccountControl \
    pwdLastSet adminDescription mail unicodePwd supplementalCredentials >"$work/directory.ldif" \
    2>>"$work/tool.log" || { cat "$work/tool.log" >&2; exit 1; }

if ! grep -q '^unicodePwd::' "$work/directory.ldif" || ! grep -q '^supplementalCredentials::' "$work/directory.ldif"; then
    echo "samba-onprem-fixture: the export holds no secret attributes (ldbsearch must run with access to the ldb files)" >&2
    exit 1
fi

cat >"$work/directory.manifest.json" <<JSON
{
  "realm": "$realm_dns",
  "netbiosDomain": "$netbios",
  "baseDn": "$basedn",
  "accounts": [
    { "sAMAccountName": "Alice.Smith", "password": "Alice-Pa\$\$w0rd-2", "oldPasswords": ["First-Passw0rd!"], "userPrincipalName": "Alice.Smith@$realm_dns", "kind": "user", "demonstrates": "mixed-case name, password changed once (old keys present)" },
    { "sAMAccountName": "bob", "password": "Bob-Pa\$\$w0rd", "oldPasswords": [], "userPrincipalName": null, "kind": "user", "demonstrates": "no userPrincipalName" },
    { "sAMAccountName": "CarolW", "password": "Carol-Pa\$\$w0rd", "oldPasswords": ["Carol-Pa\$\$w0rd"], "userPrincipalName": "carol.white@$realm_dns", "kind": "user", "demonstrates": "UPN prefix differs from sAMAccountName" },
    { "sAMAccountName": "dave.nonascii", "password": "Žluťoučký kůň úpěl ďábelské ódy", "oldPasswords": [], "userPrincipalName": "dave.nonascii@$realm_dns", "kind": "user", "demonstrates": "non-ASCII password" },
    { "sAMAccountName": "Emoji.User", "password": "Sunrise🌅Coffee☕42", "oldPasswords": [], "userPrincipalName": "Emoji.User@$realm_dns", "kind": "user", "demonstrates": "emoji (surrogate pair) password" },
    { "sAMAccountName": "frank.temp", "password": "Temp-Passw0rd-1", "oldPasswords": [], "userPrincipalName": "frank.temp@$realm_dns", "kind": "user", "demonstrates": "must change password at next logon (pwdLastSet=0)" },
    { "sAMAccountName": "grace.disabled", "password": "Disabled-Pa\$\$w0rd", "oldPasswords": [], "userPrincipalName": "grace.disabled@$realm_dns", "kind": "user", "demonstrates": "disabled account" },
    { "sAMAccountName": "heidi.filtered", "password": "Filtered-Pa\$\$w0rd", "oldPasswords": [], "userPrincipalName": "heidi.filtered@$realm_dns", "kind": "user", "demonstrates": "adminDescription PHSFiltered" },
    { "sAMAccountName": "ivan.reversible", "password": "Reversible-Pa\$\$w0rd", "oldPasswords": ["Reversible-Pa\$\$w0rd"], "userPrincipalName": "ivan.reversible@$realm_dns", "kind": "user", "demonstrates": "reversible encryption (Primary:CLEARTEXT)" },
    { "sAMAccountName": "WS01\$", "password": "Ws01-Machine-Pa\$\$w0rd", "oldPasswords": [], "userPrincipalName": null, "kind": "computer", "demonstrates": "computer account (host salt)" },
    { "sAMAccountName": "SRV-APP02\$", "password": "Srv-App02-Machine-Pa\$\$w0rd", "oldPasswords": [], "userPrincipalName": null, "kind": "computer", "demonstrates": "computer account with a hyphen" },
    { "sAMAccountName": null, "cn": "Zoe External", "password": null, "oldPasswords": [], "userPrincipalName": null, "kind": "contact", "demonstrates": "contact: no account, no secrets" }
  ]
}
JSON

mv "$work/directory.ldif" "$outdir/directory.ldif"
mv "$work/directory.manifest.json" "$outdir/directory.manifest.json"
log "wrote $outdir/directory.ldif and $outdir/directory.manifest.json"
