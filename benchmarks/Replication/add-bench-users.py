# Adds benchmark users with passwords to a stopped (or running) Samba DC's sam.ldb in ONE ldb transaction:
# about 20 ms a user, against about 1 s a user for `samba-tool user create` (a process and a transaction each).
# Run with the system python (/usr/bin/python3): it has the samba module (python3-samba); a pyenv python does not.
#
#   /usr/bin/python3 add-bench-users.py SMB_CONF FIRST COUNT DNS_DOMAIN
#
# Users are benchNNNNN (FIRST .. FIRST+COUNT-1) with password Bench-Pass-NNNNN! and UPN benchNNNNN@DNS_DOMAIN,
# userAccountControl 512 (a normal, enabled account). Samba derives the NT hash and the Kerberos keys
# (supplementalCredentials) itself, as for any password set over LDAP.
# Started from /tmp/rb/addusers.py (the first benchmark prototype); used by ReplicationBenchmark.cs.
import sys
import time

from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB

conf, first, count, dns_domain = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lp = LoadParm()
lp.load(conf)
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
base = db.domain_dn()
started = time.time()
db.transaction_start()
try:
    for i in range(first, first + count):
        name = "bench%05d" % i
        password = ('"Bench-Pass-%05d!"' % i).encode("utf-16-le")
        db.add({
            "dn": "CN=%s,CN=Users,%s" % (name, base),
            "objectClass": "user",
            "sAMAccountName": name,
            "userPrincipalName": "%s@%s" % (name, dns_domain),
            "unicodePwd": password,
            "userAccountControl": "512",
        })
except BaseException:
    db.transaction_cancel()
    raise
db.transaction_commit()
print("added %d users in %.1f s" % (count, time.time() - started))
