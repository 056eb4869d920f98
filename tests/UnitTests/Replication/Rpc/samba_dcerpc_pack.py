#!/usr/bin/python3
"""Packs DCE/RPC PDUs and epm_Map stubs with Samba's own NDR encoder (python3-samba: samba.ndr and
samba.dcerpc.*), as an independent oracle for PasswordHashSync.Replication's writers and readers.

Reads a JSON list of cases on standard input and writes a JSON list of hex strings, one per case.
Lengths (frag_length) are Samba's: the packet is packed once to learn its size, then packed again.
"""
import json
import struct
import sys

from samba.dcerpc import dcerpc, epmapper, misc
from samba.ndr import ndr_pack, ndr_pack_in, ndr_pack_out


def syntax(value):
    s = misc.ndr_syntax_id()
    s.uuid = misc.GUID(value["uuid"])
    s.if_version = value["major"] | (value["minor"] << 16)
    return s


def auth_blob(a):
    auth = dcerpc.auth()
    auth.auth_type = a["type"]
    auth.auth_level = a["level"]
    auth.auth_pad_length = a["pad"]
    auth.auth_reserved = 0
    auth.auth_context_id = a["context_id"]
    auth.credentials = bytes.fromhex(a["credentials"])
    return ndr_pack(auth)


def packet(case, ptype, body, auth_length):
    p = dcerpc.ncacn_packet()
    p.rpc_vers = 5
    p.rpc_vers_minor = 0
    p.ptype = ptype
    p.pfc_flags = case.get("flags", 3)
    p.drep = [0x10, 0, 0, 0]
    p.call_id = case["call_id"]
    p.auth_length = auth_length
    p.frag_length = 0
    p.u = body
    p.frag_length = len(ndr_pack(p))
    return ndr_pack(p)


def bind(case):
    b = dcerpc.bind()
    b.max_xmit_frag = case["max_xmit"]
    b.max_recv_frag = case["max_recv"]
    b.assoc_group_id = case["assoc_group"]
    ctx = dcerpc.ctx_list()
    ctx.context_id = case["context_id"]
    ctx.num_transfer_syntaxes = 1
    ctx.abstract_syntax = syntax(case["abstract"])
    ctx.transfer_syntaxes = [syntax(case["transfer"])]
    b.num_contexts = 1
    b.ctx_list = [ctx]
    a = case.get("auth")
    b.auth_info = auth_blob(a) if a else b""
    ptype = dcerpc.DCERPC_PKT_ALTER if case["kind"] == "alter" else dcerpc.DCERPC_PKT_BIND
    return packet(case, ptype, b, len(bytes.fromhex(a["credentials"])) if a else 0)


def bind_ack(case):
    b = dcerpc.bind_ack()
    b.max_xmit_frag = case["max_xmit"]
    b.max_recv_frag = case["max_recv"]
    b.assoc_group_id = case["assoc_group"]
    b.secondary_address = case["secondary_address"]
    results = []
    for r in case["results"]:
        ack = dcerpc.ack_ctx()
        ack.result = r["result"]
        ack.reason = r["reason"]
        ack.syntax = syntax(r["syntax"])
        results.append(ack)
    b.num_results = len(results)
    b.ctx_list = results
    a = case.get("auth")
    b.auth_info = auth_blob(a) if a else b""
    ptype = dcerpc.DCERPC_PKT_ALTER_RESP if case["kind"] == "alter_resp" else dcerpc.DCERPC_PKT_BIND_ACK
    return packet(case, ptype, b, len(bytes.fromhex(a["credentials"])) if a else 0)


def bind_nak(case):
    b = dcerpc.bind_nak()
    b.reject_reason = case["reason"]
    b.num_versions = 0
    b.versions = []
    return packet(case, dcerpc.DCERPC_PKT_BIND_NAK, b, 0)


def stub_and_verifier(case):
    data = bytes.fromhex(case["stub"])
    a = case.get("auth")
    if not a:
        return data, 0
    return data + bytes(a["pad"]) + auth_blob(a), len(bytes.fromhex(a["credentials"]))


def request(case):
    r = dcerpc.request()
    r.alloc_hint = case["alloc_hint"]
    r.context_id = case["context_id"]
    r.opnum = case["opnum"]
    r.stub_and_verifier, auth_length = stub_and_verifier(case)
    return packet(case, dcerpc.DCERPC_PKT_REQUEST, r, auth_length)


def response(case):
    r = dcerpc.response()
    r.alloc_hint = case["alloc_hint"]
    r.context_id = case["context_id"]
    r.cancel_count = case["cancel_count"]
    r.stub_and_verifier, auth_length = stub_and_verifier(case)
    return packet(case, dcerpc.DCERPC_PKT_RESPONSE, r, auth_length)


def fault(case):
    f = dcerpc.fault()
    f.alloc_hint = case["alloc_hint"]
    f.context_id = case["context_id"]
    f.cancel_count = 0
    f.flags = 0
    f.status = case["status"]
    f.error_and_verifier = b""
    return packet(case, dcerpc.DCERPC_PKT_FAULT, f, 0)


def auth3(case):
    a3 = dcerpc.auth3()
    a3.auth_info = auth_blob(case["auth"])
    return packet(case, dcerpc.DCERPC_PKT_AUTH3, a3, len(bytes.fromhex(case["auth"]["credentials"])))


def tower(interface, port, address):
    def uuid_floor(value):
        f = epmapper.epm_floor()
        f.lhs.protocol = epmapper.EPM_PROTOCOL_UUID
        f.lhs.lhs_data = ndr_pack(misc.GUID(value["uuid"])) + struct.pack("<H", value["major"])
        rhs = epmapper.epm_rhs_uuid()
        rhs.unknown = struct.pack("<H", value["minor"])
        f.rhs = rhs
        return f

    def floor(protocol, rhs):
        f = epmapper.epm_floor()
        f.lhs.protocol = protocol
        f.lhs.lhs_data = b""
        f.rhs = rhs
        return f

    ncacn = epmapper.epm_rhs_ncacn()
    ncacn.minor_version = 0
    tcp = epmapper.epm_rhs_tcp()
    tcp.port = port
    ip = epmapper.epm_rhs_ip()
    ip.ipaddr = address
    t = epmapper.epm_tower()
    t.num_floors = 5
    t.floors = [uuid_floor(interface), uuid_floor({"uuid": "8a885d04-1ceb-11c9-9fe8-08002b104860", "major": 2, "minor": 0}),
                floor(epmapper.EPM_PROTOCOL_NCACN, ncacn), floor(epmapper.EPM_PROTOCOL_TCP, tcp), floor(epmapper.EPM_PROTOCOL_IP, ip)]
    twr = epmapper.epm_twr_t()
    twr.tower = t
    return twr


def epm_map_in(case):
    m = epmapper.epm_Map()
    m.in_object = misc.GUID("00000000-0000-0000-0000-000000000000")
    m.in_map_tower = tower(case["interface"], 0, "0.0.0.0")
    m.in_entry_handle = misc.policy_handle()
    m.in_max_towers = case["max_towers"]
    return ndr_pack_in(m)


def epm_map_out(case):
    m = epmapper.epm_Map()
    m.in_max_towers = case["max_towers"]
    m.out_entry_handle = misc.policy_handle()
    towers = []
    for t in case["towers"]:
        p = epmapper.epm_twr_p_t()
        p.twr = tower(case["interface"], t["port"], t["address"])
        towers.append(p)
    m.out_num_towers = len(towers)
    m.out_towers = towers
    m.result = case["status"]
    return ndr_pack_out(m)


KINDS = {
    "bind": bind, "alter": bind, "bind_ack": bind_ack, "alter_resp": bind_ack, "bind_nak": bind_nak,
    "request": request, "response": response, "fault": fault, "auth3": auth3,
    "sec_trailer": lambda case: auth_blob(case["auth"]),
    "epm_map_in": epm_map_in, "epm_map_out": epm_map_out,
}

json.dump([KINDS[case["kind"]](case).hex() for case in json.load(sys.stdin)], sys.stdout)
