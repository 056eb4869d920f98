#!/usr/bin/python3
"""Independent reference for the DRSUAPI layer: builds drsuapi structures with Samba's own pidl-generated NDR
(samba.dcerpc.drsuapi, samba.ndr) and prints them as JSON for the C# tests.

  requests                  the request stubs the C# writers must reproduce byte for byte
  replies SEED COUNT        COUNT random IDL_DRSGetNCChanges V6 (and V1) response stubs with objects, attributes,
                            metadata, linked values and secrets encrypted under a random session key the way a DC
                            does (MS-DRSR 4.1.10.5.11: MD5/RC4/CRC-32 envelope; MS-SAMR 2.2.11.1.3 RID-DES layer,
                            using Samba's own samba.crypto DES and RC4), with the values the C# parser must read.

The secret encryption uses samba.crypto (Samba's DES/RC4 from GnuTLS), Python's hashlib MD5 and zlib CRC-32, none
of which is the project's code.
"""
import hashlib
import json
import random
import struct
import sys
import uuid
import zlib

from samba import crypto
from samba.dcerpc import drsuapi, misc, security
from samba.ndr import ndr_pack, ndr_pack_in, ndr_pack_out


def ber_oid(oid):
    arcs = [int(a) for a in oid.split('.')]
    out = bytearray()
    for i, arc in enumerate([arcs[0] * 40 + arcs[1]] + arcs[2:]):
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.insert(0, 0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(chunk)
    return bytes(out)


def prefix_of(oid):
    last = int(oid.split('.')[-1])
    ber = ber_oid(oid)
    return ber[:-1] if last < 128 else ber[:-2]


def attid_of(oid, table):
    """MS-DRSR 5.16.4 MakeAttid with a given table {prefix bytes: ndx}."""
    last = int(oid.split('.')[-1])
    ndx = table[prefix_of(oid)]
    return (ndx << 16) | (last % 16384) | (0x8000 if last >= 16384 else 0)


def name(dn='', guid=None, sid=None):
    n = drsuapi.DsReplicaObjectIdentifier()
    n.dn = dn
    if guid is not None:
        n.guid = misc.GUID(guid)
    if sid is not None:
        n.sid = security.dom_sid(sid)
    return n


def handle():
    h = misc.policy_handle()
    h.handle_type = 0
    h.uuid = misc.GUID('0a0b0c0d-0102-0304-0506-0708090a0b0c')
    return h


def requests():
    out = {}
    f = drsuapi.DsBind()
    f.in_bind_guid = misc.GUID(drsuapi.DRSUAPI_DS_BIND_GUID)
    ctr = drsuapi.DsBindInfoCtr()
    ctr.length = 52
    info = drsuapi.DsBindInfo52()
    info.supported_extensions = 0x05C08441
    info.repl_epoch = 7
    info.supported_extensions_ext = 0
    info.supported_capabilities_ext = 0xFFFFFFFF
    ctr.info = info
    f.in_bind_info = ctr
    out['bind'] = ndr_pack_in(f).hex()

    f = drsuapi.DsUnbind()
    f.in_bind_handle = handle()
    out['unbind'] = ndr_pack_in(f).hex()

    f = drsuapi.DsCrackNames()
    f.in_bind_handle = handle()
    f.in_level = 1
    r = drsuapi.DsNameRequest1()
    r.codepage = 0
    r.language = 0
    r.format_flags = 0
    r.format_offered = drsuapi.DRSUAPI_DS_NAME_FORMAT_NT4_ACCOUNT
    r.format_desired = drsuapi.DRSUAPI_DS_NAME_FORMAT_GUID
    s = drsuapi.DsNameString()
    s.str = 'SAMDOM\\J\u00f6rg'
    r.count = 1
    r.names = [s]
    f.in_req = r
    out['cracknames'] = ndr_pack_in(f).hex()

    f = drsuapi.DsGetDomainControllerInfo()
    f.in_bind_handle = handle()
    f.in_level = 1
    r = drsuapi.DsGetDCInfoRequest1()
    r.domain_name = 'samdom.example.com'
    r.level = 2
    f.in_req = r
    out['dcinfo'] = ndr_pack_in(f).hex()

    # Whole domain, incremental: usnvecFrom and a two-cursor UTD vector.
    r = drsuapi.DsGetNCChangesRequest8()
    r.destination_dsa_guid = misc.GUID(drsuapi.DRSUAPI_DS_BIND_GUID)
    r.source_dsa_invocation_id = misc.GUID('11111111-2222-3333-4444-555555555555')
    r.naming_context = name('DC=samdom,DC=example,DC=com')
    hwm = drsuapi.DsReplicaHighWaterMark()
    hwm.tmp_highest_usn = 4100
    hwm.reserved_usn = 0
    hwm.highest_usn = 4099
    r.highwatermark = hwm
    utd = drsuapi.DsReplicaCursorCtrEx()
    cursors = []
    for inv, usn in (('11111111-2222-3333-4444-555555555555', 4099), ('66666666-7777-8888-9999-aaaaaaaaaaaa', 12)):
        c = drsuapi.DsReplicaCursor()
        c.source_dsa_invocation_id = misc.GUID(inv)
        c.highest_usn = usn
        cursors.append(c)
    utd.count = 2
    utd.cursors = cursors
    r.uptodateness_vector = utd
    r.replica_flags = 0x00200870
    r.max_object_count = 402
    r.max_ndr_size = 402116
    r.extended_op = 0
    r.fsmo_info = 0
    r.partial_attribute_set = None
    r.partial_attribute_set_ex = None
    r.mapping_ctr.num_mappings = 0
    r.mapping_ctr.mappings = None
    f = drsuapi.DsGetNCChanges()
    f.in_bind_handle = handle()
    f.in_level = 8
    f.in_req = r
    out['getncchanges_domain'] = ndr_pack_in(f).hex()

    # One account: EXOP_REPL_OBJ by GUID with a PAS (the account attributes, then isDeleted) and a prefix table ending in schemaInfo.
    oids = ['2.5.4.0', '1.2.840.113556.1.2.226', '1.2.840.113556.1.4.2', '1.2.840.113556.1.4.8', '1.2.840.113556.1.4.90',
            '1.2.840.113556.1.4.94', '1.2.840.113556.1.4.96', '1.2.840.113556.1.4.125', '1.2.840.113556.1.4.146',
            '1.2.840.113556.1.4.221', '1.2.840.113556.1.4.656', '1.2.840.113556.1.2.48']
    table = {prefix_of('2.5.4.0'): 0, prefix_of('1.2.840.113556.1.2.226'): 2, prefix_of('1.2.840.113556.1.4.2'): 9}
    r = drsuapi.DsGetNCChangesRequest8()
    r.destination_dsa_guid = misc.GUID('9c5c8a54-1c1f-4b44-a1b2-0102030405ff')
    r.source_dsa_invocation_id = misc.GUID('00000000-0000-0000-0000-000000000000')
    r.naming_context = name('', guid='3e1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6')
    r.uptodateness_vector = None
    r.replica_flags = 0x30
    r.max_object_count = 1
    r.max_ndr_size = 0
    r.extended_op = drsuapi.DRSUAPI_EXOP_REPL_OBJ
    pas = drsuapi.DsPartialAttributeSet()
    pas.num_attids = len(oids)
    pas.attids = [attid_of(o, table) for o in oids]
    r.partial_attribute_set = pas
    r.partial_attribute_set_ex = None
    maps = []
    for prefix, ndx in list(table.items()) + [(b'\xff\x00\x00\x00\x01' + b'\x00' * 16, 0)]:
        m = drsuapi.DsReplicaOIDMapping()
        m.id_prefix = ndx
        m.oid.length = len(prefix)
        m.oid.binary_oid = list(prefix)
        maps.append(m)
    r.mapping_ctr.num_mappings = len(maps)
    r.mapping_ctr.mappings = maps
    f = drsuapi.DsGetNCChanges()
    f.in_bind_handle = handle()
    f.in_level = 8
    f.in_req = r
    out['getncchanges_account'] = ndr_pack_in(f).hex()
    print(json.dumps(out))


def responses():
    """The response stubs of the small calls, with the values the C# parsers must read."""
    out = {}
    for length in (28, 48, 52):
        f = drsuapi.DsBind()
        ctr = drsuapi.DsBindInfoCtr()
        ctr.length = length
        info = {28: drsuapi.DsBindInfo28, 48: drsuapi.DsBindInfo48, 52: drsuapi.DsBindInfo52}[length]()
        info.supported_extensions = 0x2FFFFF6F
        info.site_guid = misc.GUID('01234567-89ab-cdef-0123-456789abcdef')
        info.pid = 1234
        info.repl_epoch = 3
        if length >= 48:
            info.supported_extensions_ext = 0x2
            info.config_dn_guid = misc.GUID('fedcba98-7654-3210-fedc-ba9876543210')
        if length == 52:
            info.supported_capabilities_ext = 0x1302
        ctr.info = info
        f.out_bind_info = ctr
        f.out_bind_handle = handle()
        f.result = 0
        out['bind%d' % length] = ndr_pack_out(f).hex()

    f = drsuapi.DsUnbind()
    f.out_bind_handle = misc.policy_handle()
    f.result = 0
    out['unbind'] = ndr_pack_out(f).hex()

    f = drsuapi.DsCrackNames()
    f.out_level_out = 1
    c = drsuapi.DsNameCtr1()
    items = []
    for status, dom, res in ((0, 'samdom.example.com', '{82cb4275-7d82-4dbf-ab98-87ffa52108ea}'), (2, None, None)):
        i = drsuapi.DsNameInfo1()
        i.status = status
        i.dns_domain_name = dom
        i.result_name = res
        items.append(i)
    c.count = 2
    c.array = items
    f.out_ctr = c
    f.result = 0
    out['cracknames'] = ndr_pack_out(f).hex()

    f = drsuapi.DsCrackNames()
    f.out_level_out = 1
    c = drsuapi.DsNameCtr1()
    i = drsuapi.DsNameInfo1()
    i.status = 0
    i.dns_domain_name = 'samdom.example.com'
    i.result_name = '{82cb4275-7d82-4dbf-ab98-87ffa52108ea}'
    c.count = 1
    c.array = [i]
    f.out_ctr = c
    f.result = 0
    out['cracknames1'] = ndr_pack_out(f).hex()

    f = drsuapi.DsGetDomainControllerInfo()
    f.out_level_out = 2
    c = drsuapi.DsGetDCInfoCtr2()
    dcs = []
    for k in range(2):
        d = drsuapi.DsGetDCInfo2()
        d.netbios_name = 'DC%d' % k
        d.dns_name = 'dc%d.samdom.example.com' % k
        d.site_name = 'Default-First-Site-Name'
        d.site_dn = None
        d.computer_dn = 'CN=DC%d,OU=Domain Controllers,DC=samdom,DC=example,DC=com' % k
        d.server_dn = 'CN=DC%d,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=samdom,DC=example,DC=com' % k
        d.ntds_dn = 'CN=NTDS Settings,' + d.server_dn
        d.is_pdc = 1 - k
        d.is_enabled = 1
        d.is_gc = 1
        d.site_guid = misc.GUID('00000000-0000-0000-0000-00000000000%d' % (k + 1))
        d.computer_guid = misc.GUID('00000000-0000-0000-0000-00000000001%d' % k)
        d.server_guid = misc.GUID('00000000-0000-0000-0000-00000000002%d' % k)
        d.ntds_guid = misc.GUID('7a6aa8ee-6b93-4b8c-995a-2b3105efacf%d' % k)
        dcs.append(d)
    c.count = 2
    c.array = dcs
    f.out_ctr = c
    f.result = 0
    out['dcinfo'] = ndr_pack_out(f).hex()

    # A refusal the way Samba sends it: an empty V6 with a non-NULL, empty rgValues and WERR_DS_DRA_ACCESS_DENIED.
    f = drsuapi.DsGetNCChanges()
    f.out_level_out = 6
    ctr = drsuapi.DsGetNCChangesCtr6()
    ctr.linked_attributes_count = 0
    ctr.linked_attributes = []
    f.out_ctr = ctr
    f.result = 8453
    out['getncchanges_denied'] = ndr_pack_out(f).hex()

    # A V6 whose method result is 0 but whose dwDRSError is not: MS-DRSR 4.1.10.6.1 ProcessGetNCChangesReply takes
    # dwDRSError as the outcome of the reply, so the client must fail on it rather than take the empty reply as done.
    f = drsuapi.DsGetNCChanges()
    f.out_level_out = 6
    ctr = drsuapi.DsGetNCChangesCtr6()
    ctr.drs_error = 8453
    f.out_ctr = ctr
    f.result = 0
    out['getncchanges_drs_error'] = ndr_pack_out(f).hex()
    print(json.dumps(out))


# ----------------------------------------------------------------------------------------------------------------------
ATTRS = {
    'objectClass': '2.5.4.0', 'adminDescription': '1.2.840.113556.1.2.226', 'objectGUID': '1.2.840.113556.1.4.2',
    'userAccountControl': '1.2.840.113556.1.4.8', 'unicodePwd': '1.2.840.113556.1.4.90',
    'ntPwdHistory': '1.2.840.113556.1.4.94', 'pwdLastSet': '1.2.840.113556.1.4.96',
    'supplementalCredentials': '1.2.840.113556.1.4.125', 'objectSid': '1.2.840.113556.1.4.146',
    'sAMAccountName': '1.2.840.113556.1.4.221', 'userPrincipalName': '1.2.840.113556.1.4.656',
    'dBCSPwd': '1.2.840.113556.1.4.55', 'cn': '2.5.4.3', 'description': '2.5.4.13',
    'msDS-SupportedEncryptionTypes': '1.2.840.113556.1.4.1963',
}
CLASSES = {'top': '2.5.6.0', 'person': '2.5.6.6', 'organizationalPerson': '2.5.6.7', 'user': '1.2.840.113556.1.5.9',
           'computer': '1.2.840.113556.1.3.30', 'inetOrgPerson': '2.16.840.1.113730.3.2.2', 'group': '1.2.840.113556.1.5.8',
           'unknownClass': '1.2.840.113556.1.5.7000.99999'}


def rid_crypt(rid, block16):
    key = bytes([rid & 0xFF, (rid >> 8) & 0xFF, (rid >> 16) & 0xFF, (rid >> 24) & 0xFF]) * 4
    # sam_rid_crypt: K1 = s[0..7], K2 = s[7..14] of s = r0 r1 r2 r3 r0 r1 r2 r3 r0 r1 r2 r3 r0 r1
    return crypto.des_crypt_blob_16(block16, key[:14])


def envelope(session_key, salt, secret):
    plain = struct.pack('<I', zlib.crc32(secret) & 0xFFFFFFFF) + secret
    rc4_key = hashlib.md5(session_key + salt).digest()
    return salt + crypto.arcfour_crypt_blob(plain, rc4_key)


def value_ctr(values):
    ctr = drsuapi.DsAttributeValueCtr()
    vals = []
    for v in values:
        av = drsuapi.DsAttributeValue()
        av.blob = v
        vals.append(av)
    ctr.num_values = len(vals)
    ctr.values = vals if vals else None
    return ctr


def random_reply(rng, version):
    session_key = bytes(rng.getrandbits(8) for _ in range(rng.choice([16, 32])))
    # A prefix table with random indices, so that the parser must use the reply's own table.
    prefixes = sorted({prefix_of(o) for o in list(ATTRS.values()) + list(CLASSES.values())})
    indices = rng.sample(range(0, 0x7FFF), len(prefixes))
    table = dict(zip(prefixes, indices))
    maps = []
    for prefix, ndx in table.items():
        m = drsuapi.DsReplicaOIDMapping()
        m.id_prefix = ndx
        m.oid.length = len(prefix)
        m.oid.binary_oid = list(prefix)
        maps.append(m)
    rng.shuffle(maps)

    expected_objects = []
    items = []
    for i in range(rng.randint(0, 6)):
        rid = rng.choice([500, 501, 1103, 35093, 1 << 20, rng.randint(1000, 0x7FFFFFFF)])
        sid = 'S-1-5-21-%d-%d-%d-%d' % (rng.randint(1, 2**32 - 1), rng.randint(1, 2**32 - 1), rng.randint(1, 2**32 - 1), rid)
        guid = str(uuid.UUID(int=rng.getrandbits(128)))
        sam = ''.join(rng.choice('abcdefgh\u00e9\u00f6\u4e2d') for _ in range(rng.randint(1, 20)))
        dn = 'CN=%s,CN=Users,DC=samdom,DC=example,DC=com' % sam
        classes = rng.choice([['top', 'person', 'organizationalPerson', 'user'],
                              ['top', 'person', 'organizationalPerson', 'user', 'computer'],
                              ['top', 'person', 'organizationalPerson', 'user', 'inetOrgPerson'],
                              ['top', 'group'], ['top', 'unknownClass']])
        attrs = []
        meta = []
        exp = {'dn': dn, 'guid': guid, 'sid': sid, 'rid': rid, 'classes': classes, 'sam': sam}

        def add(attr, values, when=None):
            a = drsuapi.DsReplicaAttribute()
            a.attid = attid_of(ATTRS[attr], table)
            a.value_ctr = value_ctr(values)
            attrs.append(a)
            md = drsuapi.DsReplicaMetaData()
            md.version = rng.randint(1, 50)
            # NTTIME_1sec: Python holds NTTIME (100 ns units); the wire carries DSTIME seconds.
            when = when if when is not None else rng.randint(13000000000, 13400000000)
            md.originating_change_time = when * 10000000
            md.originating_invocation_id = misc.GUID(str(uuid.UUID(int=rng.getrandbits(128))))
            md.originating_usn = rng.randint(1, 2**40)
            meta.append(md)
            return when

        # DRS sends the most specific class first (measured on Samba 4.17); the expectation is LDAP's order.
        wire_classes = list(reversed(classes)) if rng.random() < 0.8 else classes
        add('objectClass', [struct.pack('<I', attid_of(CLASSES[c], table)) for c in wire_classes])
        add('cn', [sam.encode('utf-16-le')])
        add('sAMAccountName', [sam.encode('utf-16-le')])
        add('objectGUID', [uuid.UUID(guid).bytes_le])
        add('objectSid', [ndr_pack(security.dom_sid(sid))])
        uac = rng.choice([0x200, 0x202, 0x10200, 0x1000, 0x80000200])
        add('userAccountControl', [struct.pack('<I', uac)])
        exp['uac'] = uac
        if rng.random() < 0.8:
            upn = sam + '@samdom.example.com'
            add('userPrincipalName', [upn.encode('utf-16-le')])
            exp['upn'] = upn
        if rng.random() < 0.5:
            desc = rng.choice(['PHSFiltered', 'PHSIncluded', 'other'])
            add('adminDescription', [desc.encode('utf-16-le')])
            exp['adminDescription'] = desc
        pls = rng.choice([0, 133000000000000000, rng.randint(1, 2**62)])
        add('pwdLastSet', [struct.pack('<q', pls)])
        exp['pwdLastSet'] = pls
        kind = rng.random()
        if kind < 0.75:
            nt = bytes(rng.getrandbits(8) for _ in range(16))
            salt = bytes(rng.getrandbits(8) for _ in range(16))
            when = add('unicodePwd', [envelope(session_key, salt, rid_crypt(rid, nt))])
            exp['ntHash'] = nt.hex()
            exp['pwdChanged'] = when
        elif kind < 0.85:
            exp['pwdChanged'] = add('unicodePwd', [])  # Samba: no NT hash stored, valCount 0
            exp['ntHash'] = ''
        else:
            exp['ntHash'] = ''
        hist = [bytes(rng.getrandbits(8) for _ in range(16)) for _ in range(rng.randint(0, 5))]
        if hist:
            salt = bytes(rng.getrandbits(8) for _ in range(16))
            add('ntPwdHistory', [envelope(session_key, salt, b''.join(rid_crypt(rid, h) for h in hist))])
        exp['history'] = [h.hex() for h in hist]
        add('dBCSPwd', [])
        if rng.random() < 0.7:
            supp = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 600)))
            salt = bytes(rng.getrandbits(8) for _ in range(16))
            add('supplementalCredentials', [envelope(session_key, salt, supp)] if supp else [b''])
            exp['supplemental'] = supp.hex()
        else:
            exp['supplemental'] = ''
        if rng.random() < 0.3:
            add('description', [b'x' * rng.randint(0, 40), b'second'])
        # Attribute order on the wire is not the schema order.
        order = list(range(len(attrs)))
        rng.shuffle(order)
        attrs = [attrs[k] for k in order]
        meta = [meta[k] for k in order]
        obj = drsuapi.DsReplicaObject()
        obj.identifier = name(dn, guid=guid, sid=sid)
        obj.flags = rng.choice([0, 1])
        obj.attribute_ctr.num_attributes = len(attrs)
        obj.attribute_ctr.attributes = attrs
        item = drsuapi.DsReplicaObjectListItemEx()
        item.object = obj
        item.is_nc_prefix = 0
        item.parent_object_guid = misc.GUID(str(uuid.UUID(int=rng.getrandbits(128)))) if rng.random() < 0.5 else None
        mctr = drsuapi.DsReplicaMetaDataCtr()
        mctr.count = len(meta)
        mctr.meta_data = meta
        item.meta_data_ctr = mctr
        items.append(item)
        expected_objects.append(exp)
    for a, b in zip(items, items[1:]):
        a.next_object = b

    ctr = drsuapi.DsGetNCChangesCtr6() if version == 6 else drsuapi.DsGetNCChangesCtr1()
    ctr.source_dsa_guid = misc.GUID(str(uuid.UUID(int=rng.getrandbits(128))))
    inv = str(uuid.UUID(int=rng.getrandbits(128)))
    ctr.source_dsa_invocation_id = misc.GUID(inv)
    ctr.naming_context = name('DC=samdom,DC=example,DC=com', guid=str(uuid.UUID(int=rng.getrandbits(128))))
    usn_to = [rng.randint(0, 2**40), 0, rng.randint(0, 2**40)]
    ctr.new_highwatermark.tmp_highest_usn, ctr.new_highwatermark.reserved_usn, ctr.new_highwatermark.highest_usn = usn_to
    cursors = []
    if rng.random() < 0.6:
        utd = drsuapi.DsReplicaCursor2CtrEx() if version == 6 else drsuapi.DsReplicaCursorCtrEx()
        cl = []
        for _ in range(rng.randint(0, 4)):
            c = drsuapi.DsReplicaCursor2() if version == 6 else drsuapi.DsReplicaCursor()
            c.source_dsa_invocation_id = misc.GUID(str(uuid.UUID(int=rng.getrandbits(128))))
            c.highest_usn = rng.randint(0, 2**40)
            t = 0
            if version == 6:
                c.last_sync_success = t = rng.randint(0, 2**60)
            cl.append(c)
            cursors.append([str(c.source_dsa_invocation_id), c.highest_usn, t])
        utd.count = len(cl)
        utd.cursors = cl
        ctr.uptodateness_vector = utd
    else:
        cursors = None
    ctr.mapping_ctr.num_mappings = len(maps)
    ctr.mapping_ctr.mappings = maps
    ctr.extended_ret = rng.choice([0, 1])
    ctr.object_count = len(items)
    ctr.first_object = items[0] if items else None
    ctr.more_data = rng.choice([0, 1])
    linked = 0
    if version == 6:
        ctr.nc_object_count = rng.randint(0, 10000)
        ctr.nc_linked_attributes_count = rng.randint(0, 10000)
        las = []
        for _ in range(rng.randint(0, 3)):
            la = drsuapi.DsReplicaLinkedAttribute()
            la.identifier = name('CN=Group,DC=samdom,DC=example,DC=com', guid=str(uuid.UUID(int=rng.getrandbits(128))))
            la.attid = 0x1f
            la.value.blob = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 80)))
            la.flags = 1
            la.originating_add_time = rng.randint(0, 2**40)
            la.meta_data.version = 1
            la.meta_data.originating_change_time = rng.randint(0, 2**40)
            la.meta_data.originating_invocation_id = misc.GUID(inv)
            la.meta_data.originating_usn = rng.randint(0, 2**40)
            las.append(la)
        # Samba always sends a non-NULL rgValues, even with a count of 0 (reference-drsr.md section 9).
        ctr.linked_attributes_count = len(las)
        ctr.linked_attributes = las
        linked = len(las)
        ctr.drs_error = 0
    f = drsuapi.DsGetNCChanges()
    f.out_level_out = version
    f.out_ctr = ctr
    stub = ndr_pack_out(f)
    return {
        'stub': stub.hex(), 'version': version, 'sessionKey': session_key.hex(), 'invocationId': inv,
        'usnTo': usn_to, 'cursors': cursors, 'moreData': bool(ctr.more_data), 'extendedRet': ctr.extended_ret,
        'linked': linked, 'objects': expected_objects,
    }


def replies(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        print(json.dumps(random_reply(rng, rng.choice([6, 6, 6, 1]))))


if __name__ == '__main__':
    if sys.argv[1] == 'requests':
        requests()
    elif sys.argv[1] == 'responses':
        responses()
    elif sys.argv[1] == 'replies':
        replies(int(sys.argv[2]), int(sys.argv[3]))
    else:
        raise SystemExit('usage: requests | replies SEED COUNT')
