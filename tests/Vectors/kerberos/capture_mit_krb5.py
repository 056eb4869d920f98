#!/usr/bin/python3
"""Captures real Kerberos messages from MIT krb5 for the parser fuzz tests (tests/PropertyTests/Kerberos*).

Run by hand with Debian's interpreter (python3-gssapi, krb5-kdc, krb5-admin-server, krb5-user installed):
    /usr/bin/python3 tests/Vectors/kerberos/capture_mit_krb5.py ADDRESS_PREFIX > tests/Vectors/kerberos/mit-krb5.json
ADDRESS_PREFIX is a loopback /24 of the caller's own block, for example 127.24.0 (the KDC listens on .1, the
recording proxy on .2). Nothing here is produced by PasswordHashSync: krb5kdc answers kinit/kvno (MIT's client)
through a TCP proxy that records each framed request and reply; kadmin.local and ktutil write the keytabs;
MIT's GSS-API (through python3-gssapi) produces the AP-REQ, AP-REP and RFC 4121 wrap tokens.
"""
import json, os, shutil, socket, struct, subprocess, sys, tempfile, threading

prefix = sys.argv[1] if len(sys.argv) > 1 else "127.24.0"
kdc_addr, proxy_addr = prefix + ".1", prefix + ".2"
realm = "PHS.TEST"
work = tempfile.mkdtemp(prefix="phs-capture-")

def free_port(addr):
    s = socket.socket(); s.bind((addr, 0)); p = s.getsockname()[1]; s.close(); return p

kdc_port, proxy_port = free_port(kdc_addr), free_port(proxy_addr)
with open(f"{work}/krb5.conf", "w") as f:
    f.write(f"""[libdefaults]
  default_realm = {realm}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
  permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128
[realms]
  {realm} = {{
    kdc = {proxy_addr}:{proxy_port}
  }}
""")
with open(f"{work}/kdc.conf", "w") as f:
    f.write(f"""[kdcdefaults]
  kdc_listen = {kdc_addr}:{kdc_port}
  kdc_tcp_listen = {kdc_addr}:{kdc_port}
[realms]
  {realm} = {{
    database_name = {work}/principal
    key_stash_file = {work}/stash
    acl_file = {work}/kadm5.acl
    max_life = 10h
    master_key_type = aes256-cts-hmac-sha1-96
    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal
  }}
[logging]
  kdc = FILE:{work}/kdc.log
""")
env = dict(os.environ, KRB5_CONFIG=f"{work}/krb5.conf", KRB5_KDC_PROFILE=f"{work}/kdc.conf", KRB5CCNAME=f"FILE:{work}/ccache")
os.environ.update(KRB5_CONFIG=env["KRB5_CONFIG"], KRB5CCNAME=env["KRB5CCNAME"], KRB5_KTNAME=f"FILE:{work}/host.keytab")

def run(args, stdin=None, check=True):
    r = subprocess.run(args, input=stdin, capture_output=True, text=True, env=env, timeout=60)
    if check and r.returncode != 0:
        raise SystemExit(f"{args} failed: {r.stdout} {r.stderr}")
    return r

def kadmin(query):
    return run(["kadmin.local", "-r", realm, "-q", query])

run(["kdb5_util", "-P", "phs-capture-master", "-r", realm, "create", "-s"])
kdc = subprocess.Popen(["krb5kdc", "-n", "-r", realm], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

records = []          # (label, request, reply)
label = ["none"]

def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

def proxy():
    listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((proxy_addr, proxy_port)); listener.listen(8)
    while True:
        client, _ = listener.accept()
        try:
            request = recv_exact(client, struct.unpack(">I", recv_exact(client, 4))[0])
            upstream = socket.create_connection((kdc_addr, kdc_port))
            upstream.sendall(struct.pack(">I", len(request)) + request)
            reply = recv_exact(upstream, struct.unpack(">I", recv_exact(upstream, 4))[0])
            upstream.close()
            records.append((label[0], request, reply))
            client.sendall(struct.pack(">I", len(reply)) + reply)
        except EOFError:
            pass
        finally:
            client.close()

threading.Thread(target=proxy, daemon=True).start()
import time
for _ in range(100):
    try:
        socket.create_connection((kdc_addr, kdc_port)).close(); break
    except OSError:
        time.sleep(0.1)

passwords = {"alice": "Alice-Pw-4-Fuzz!", "bob": "Bob-Sha2-Pw#7", "carol": "Carol-Aes128-Pw%3"}
kadmin(f"addprinc +requires_preauth -e aes256-cts-hmac-sha1-96:normal,aes128-cts-hmac-sha1-96:normal -pw {passwords['alice']} alice")
kadmin(f"addprinc +requires_preauth -e aes256-cts-hmac-sha384-192:normal -pw {passwords['bob']} bob")
kadmin(f"addprinc +requires_preauth -e aes128-cts-hmac-sha1-96:normal -pw {passwords['carol']} carol")
kadmin("addprinc -randkey host/dc1.phs.test")
kadmin("addprinc -randkey -e aes256-cts-hmac-sha384-192:normal ldap/dc1.phs.test")

keytabs = {}
def keytab(name, query_or_path, source):
    with open(query_or_path, "rb") as f:
        keytabs[name] = {"hex": f.read().hex(), "source": source}

for who in ["alice", "bob", "carol"]:
    kadmin(f"ktadd -k {work}/{who}.keytab -norandkey {who}")
    keytab(f"{who}-kadmin", f"{work}/{who}.keytab", f"kadmin.local -q 'ktadd -k {who}.keytab -norandkey {who}' (MIT krb5 1.20.1)")
kadmin(f"ktadd -k {work}/host.keytab -norandkey host/dc1.phs.test")
keytab("host-kadmin", f"{work}/host.keytab", "kadmin.local -q 'ktadd -k host.keytab -norandkey host/dc1.phs.test'")
kadmin(f"ktadd -k {work}/krbtgt.keytab -norandkey krbtgt/{realm}")
keytab("krbtgt-kadmin", f"{work}/krbtgt.keytab", f"kadmin.local -q 'ktadd -k krbtgt.keytab -norandkey krbtgt/{realm}'")
# Two key versions, then ktremove of the old one: MIT leaves a hole (negative entry size) in place.
kadmin(f"ktadd -k {work}/rotated.keytab ldap/dc1.phs.test")
kadmin(f"ktadd -k {work}/rotated.keytab ldap/dc1.phs.test")
kadmin(f"ktremove -k {work}/rotated.keytab ldap/dc1.phs.test old")
keytab("rotated-with-hole-kadmin", f"{work}/rotated.keytab", "kadmin.local: ktadd twice (randkey) for ldap/dc1.phs.test into rotated.keytab, then 'ktremove -k rotated.keytab ldap/dc1.phs.test old' (leaves a hole)")
run(["ktutil"], stdin=f"addent -password -p alice@{realm} -k 1 -e aes256-cts-hmac-sha1-96\n{passwords['alice']}\naddent -password -p alice@{realm} -k 1 -e aes128-cts-hmac-sha256-128\n{passwords['alice']}\nwkt {work}/ktutil.keytab\nquit\n")
keytab("alice-ktutil", f"{work}/ktutil.keytab", f"ktutil: addent -password -p alice@{realm} -k 1 -e aes256-cts-hmac-sha1-96 and -e aes128-cts-hmac-sha256-128; wkt ktutil.keytab")

def step(name, args, stdin=None, check=True):
    label[0] = name
    run(args, stdin, check)

step("kinit alice (password)", ["kinit", "alice"], passwords["alice"] + "\n")
step("kvno host/dc1.phs.test (alice's TGT)", ["kvno", "host/dc1.phs.test"])
step("kvno ldap/dc1.phs.test (alice's TGT)", ["kvno", "ldap/dc1.phs.test"])
step("kinit bob (password, aes256-sha384 only)", ["kinit", "-c", f"FILE:{work}/ccache-bob", "bob"], passwords["bob"] + "\n")
step("kinit carol (password, aes128-sha1 only)", ["kinit", "-c", f"FILE:{work}/ccache-carol", "carol"], passwords["carol"] + "\n")
step("kinit alice (wrong password)", ["kinit", "-c", f"FILE:{work}/ccache-x", "alice"], "not-the-password\n", check=False)
step("kinit nobody (unknown principal)", ["kinit", "-c", f"FILE:{work}/ccache-y", "nobody"], "x\n", check=False)

# GSS-API: alice (the ccache above) to host/dc1.phs.test, mutual, with confidentiality; MIT acceptor from host.keytab.
import gssapi
label[0] = "gss_init_sec_context (TGS for host/dc1.phs.test)"
target = gssapi.Name("host@dc1.phs.test", gssapi.NameType.hostbased_service)
flags = [gssapi.RequirementFlag.mutual_authentication, gssapi.RequirementFlag.confidentiality, gssapi.RequirementFlag.integrity,
         gssapi.RequirementFlag.replay_detection, gssapi.RequirementFlag.out_of_sequence_detection]
initiator = gssapi.SecurityContext(name=target, usage="initiate", flags=flags, mech=gssapi.MechType.kerberos)
acceptor = gssapi.SecurityContext(usage="accept", creds=gssapi.Credentials(usage="accept"))
ap_req = initiator.step()
ap_rep = acceptor.step(ap_req)
assert initiator.step(ap_rep) is None and initiator.complete and acceptor.complete
gss = {"ap_req_token": ap_req.hex(), "ap_rep_token": ap_rep.hex(), "acceptor_wraps": [], "initiator_wraps": []}
for size in [0, 1, 15, 16, 17, 64, 1000]:
    message = bytes((i * 7 + size) & 0xFF for i in range(size))
    gss["acceptor_wraps"].append({"plaintext": message.hex(), "token": acceptor.wrap(message, True).message.hex()})
    gss["initiator_wraps"].append({"plaintext": message.hex(), "token": initiator.wrap(message, True).message.hex()})

kdc.terminate(); kdc.wait(5)
version = run(["dpkg-query", "-W", "-f", "${Version}", "krb5-kdc"]).stdout
out = {
    "source": f"/usr/bin/python3 tests/Vectors/kerberos/capture_mit_krb5.py {prefix} (MIT krb5 {version}: krb5kdc, kinit, kvno, kadmin.local, ktutil; python3-gssapi over MIT libgssapi_krb5)",
    "realm": realm,
    "passwords": passwords,
    "notes": "MIT kvno armors its TGS-REQs with FAST (RFC 6113, implicit TGT armor), so the TGS-REP enc-parts are under a FAST-strengthened reply key and serve as parser input only; the AS-REPs (kinit had no armor ccache, so no FAST) decrypt under the kadmin-exported client keys.",
    "kdc_exchanges": [{"step": l, "request": q.hex(), "reply": r.hex()} for (l, q, r) in records],
    "keytabs": keytabs,
    "gss": gss,
}
json.dump(out, sys.stdout, indent=1)
shutil.rmtree(work, ignore_errors=True)
