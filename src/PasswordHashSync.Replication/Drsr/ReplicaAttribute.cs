namespace PasswordHashSync.Replication.Drsr;

/// <summary>
/// ATTR (MS-DRSR 5.9; IDL <c>drsuapi_DsReplicaAttribute</c>): an ATTRTYP and its values (ATTRVALBLOCK of ATTRVAL,
/// IDL <c>drsuapi_DsAttributeValueCtr</c> / <c>drsuapi_DsAttributeValue</c>). The values are slices of the reply
/// stub; they are valid until the reply is disposed.
/// </summary>
/// <param name="AttributeType">The ATTRTYP, to be decoded with the reply's prefix table.</param>
/// <param name="Values">The raw values (encrypted for secret attributes).</param>
internal readonly record struct ReplicaAttribute(uint AttributeType, ReadOnlyMemory<byte>[] Values);
