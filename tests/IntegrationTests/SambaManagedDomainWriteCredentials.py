"""Writes password hashes produced by PasswordHashSync into a Samba AD DC's sam.ldb, as a managed domain would.

Reads one JSON object on standard input:
  {"samdb": "<private>/sam.ldb", "smbconf": "<etc>/smb.conf",
   "users": [{"name": "alice", "upn": "alice@example.test" (optional), "ntHash": "<hex>",
              "supplementalCredentials": "<hex of the library's blob>"            (optional)
              "kerberosKeys": {"salt": "EXAMPLE.TESTalice", "iterations": 4096,
                               "keys": [{"etype": 18, "key": "<hex>"}, ...]}}]}   (optional)
Each user is created with a random password (so the DC knows nothing of the real one), then unicodePwd and
supplementalCredentials are replaced with the given values through the DSDB bypass-password-hash control
(DSDB_CONTROL_BYPASS_PASSWORD_HASH_OID), which stores them as given. When only kerberosKeys is given, the
Primary:Kerberos-Newer-Keys package is packed with Samba's own NDR code (an implementation independent of ours).
Prints "ok <n>" on success.
"""
import binascii
import json
import secrets
import sys

import ldb
from samba import dsdb
from samba.auth import system_session
from samba.dcerpc import drsblobs
from samba.ndr import ndr_pack
from samba.param import LoadParm
from samba.samdb import SamDB


def newer_keys_package(spec):
    ctr = drsblobs.package_PrimaryKerberosCtr4()
    salt = drsblobs.package_PrimaryKerberosString()
    salt.string = spec["salt"]
    ctr.salt = salt
    ctr.default_iteration_count = spec.get("iterations", 4096)
    keys = []
    for item in spec["keys"]:
        key = drsblobs.package_PrimaryKerberosKey4()
        key.reserved1 = 0
        key.reserved2 = 0
        key.reserved3 = 0
        key.iteration_count = spec.get("iterations", 4096)
        key.keytype = item["etype"]
        key.value = binascii.unhexlify(item["key"])
        key.value_len = len(key.value)
        keys.append(key)
    ctr.keys = keys
    ctr.num_keys = len(keys)
    ctr.num_service_keys = 0
    ctr.service_keys = []
    ctr.num_old_keys = 0
    ctr.old_keys = []
    ctr.num_older_keys = 0
    ctr.older_keys = []
    blob = drsblobs.package_PrimaryKerberosBlob()
    blob.version = 4
    blob.ctr = ctr
    return ndr_pack(blob)


def kerberos_package(spec):
    # Primary:Kerberos (version 3) carries only the DES keys; Samba insists on it beside Kerberos-Newer-Keys.
    ctr = drsblobs.package_PrimaryKerberosCtr3()
    salt = drsblobs.package_PrimaryKerberosString()
    salt.string = spec["salt"]
    ctr.salt = salt
    keys = []
    for item in spec["keys"]:
        if item["etype"] not in (1, 3):
            continue
        key = drsblobs.package_PrimaryKerberosKey3()
        key.reserved1 = 0
        key.reserved2 = 0
        key.reserved3 = 0
        key.keytype = item["etype"]
        key.value = binascii.unhexlify(item["key"])
        key.value_len = len(key.value)
        keys.append(key)
    ctr.keys = keys
    ctr.num_keys = len(keys)
    ctr.num_old_keys = 0
    ctr.old_keys = []
    blob = drsblobs.package_PrimaryKerberosBlob()
    blob.version = 3
    blob.ctr = ctr
    return ndr_pack(blob)


def package(name, data):
    pkg = drsblobs.supplementalCredentialsPackage()
    pkg.name = name
    pkg.name_len = len(name) * 2
    pkg.reserved = 1
    pkg.data = binascii.hexlify(data).decode().upper()
    pkg.data_len = len(pkg.data)
    return pkg


def supplemental_credentials(spec):
    packages = [package("Primary:Kerberos-Newer-Keys", newer_keys_package(spec)),
                package("Primary:Kerberos", kerberos_package(spec))]
    # The Packages value: package names as UTF-16LE separated by NUL (MS-SAMR 3.1.1.8.11.1).
    packages.append(package("Packages", "\0".join(["Kerberos-Newer-Keys", "Kerberos"]).encode("utf-16-le")))
    sub = drsblobs.supplementalCredentialsSubBlob()
    sub.num_packages = len(packages)
    sub.packages = packages
    blob = drsblobs.supplementalCredentialsBlob()
    blob.sub = sub
    return ndr_pack(blob)


def main():
    request = json.load(sys.stdin)
    lp = LoadParm()
    lp.load(request["smbconf"])
    samdb = SamDB(url=request["samdb"], session_info=system_session(), lp=lp)
    for user in request["users"]:
        if not samdb.search(base=samdb.domain_dn(), scope=ldb.SCOPE_SUBTREE,
                            expression="(sAMAccountName=%s)" % ldb.binary_encode(user["name"]), attrs=["dn"]):
            samdb.newuser(user["name"], "Rnd-" + secrets.token_hex(16) + "-aA1!")
        found = samdb.search(base=samdb.domain_dn(), scope=ldb.SCOPE_SUBTREE,
                             expression="(sAMAccountName=%s)" % ldb.binary_encode(user["name"]), attrs=["dn"])
        if user.get("upn"):
            upn = ldb.Message()
            upn.dn = found[0].dn
            upn["userPrincipalName"] = ldb.MessageElement(user["upn"], ldb.FLAG_MOD_REPLACE, "userPrincipalName")
            samdb.modify(upn)
        msg = ldb.Message()
        msg.dn = found[0].dn
        msg["unicodePwd"] = ldb.MessageElement(binascii.unhexlify(user["ntHash"]), ldb.FLAG_MOD_REPLACE, "unicodePwd")
        if user.get("supplementalCredentials"):
            blob = binascii.unhexlify(user["supplementalCredentials"])
        elif user.get("kerberosKeys"):
            blob = supplemental_credentials(user["kerberosKeys"])
        else:
            blob = None
        if blob is not None:
            msg["supplementalCredentials"] = ldb.MessageElement(blob, ldb.FLAG_MOD_REPLACE, "supplementalCredentials")
        else:
            msg["supplementalCredentials"] = ldb.MessageElement([], ldb.FLAG_MOD_DELETE, "supplementalCredentials")
        samdb.modify(msg, controls=["local_oid:%s:0" % dsdb.DSDB_CONTROL_BYPASS_PASSWORD_HASH_OID])
    print("ok %d" % len(request["users"]))


if __name__ == "__main__":
    main()
