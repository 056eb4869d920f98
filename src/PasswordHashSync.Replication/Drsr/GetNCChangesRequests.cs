namespace PasswordHashSync.Replication.Drsr;

/// <summary>The two GetNCChanges V8 requests password hash sync sends: the whole domain NC, and one account.</summary>
internal static class GetNCChangesRequests
{
    // The account's attributes plus isDeleted, so a re-fetched tombstone is recognised as one.
    private static readonly string[] s_accountRequestAttributes = [.. ReplicationAttributes.AccountAttributes, IncrementalChangeSelector.IsDeleted];

    /// <summary>Samba drs_utils.py's chunk size in objects.</summary>
    public const uint DefaultMaxObjects = 402;

    /// <summary>Samba drs_utils.py's chunk size in bytes (Samba ignores it; Windows honours it).</summary>
    public const uint DefaultMaxBytes = 402116;

    /// <summary>
    /// The whole domain NC with secrets, the way Samba's own client (<c>python/samba/drs_utils.py</c> replicate)
    /// asks: INIT_SYNC | PER_SYNC | GET_ANC | NEVER_SYNCED | WRIT_REP (GET_ALL_GROUP_MEMBERSHIP left out: no group
    /// expansion is needed), no partial attribute set and an empty prefix table (so every attribute, secrets
    /// included, comes back; Samba then requires Get-Changes-All). For an incremental cycle pass the stored
    /// watermark; the UTD cursors let the DC skip what this client has already seen.
    /// </summary>
    /// <param name="namingContext">The domain NC root (DN, or GUID).</param>
    /// <param name="usnVectorFrom">Zero for a full sync, else the stored usnvecTo (or the previous reply's within a cycle).</param>
    /// <param name="sourceInvocationId">The stored server invocationId, or empty.</param>
    /// <param name="upToDateVector">The stored UTD cursors, or <see langword="null"/>.</param>
    /// <param name="maxObjects">cMaxObjects.</param>
    /// <param name="maxBytes">cMaxBytes.</param>
    /// <returns>The request.</returns>
    public static GetNCChangesRequest ForDomain(
        DsName namingContext,
        UsnVector usnVectorFrom = default,
        Guid sourceInvocationId = default,
        IReadOnlyList<UpToDateCursor>? upToDateVector = null,
        uint maxObjects = DefaultMaxObjects,
        uint maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(namingContext);
        return new GetNCChangesRequest
        {
            DestinationDsa = DrsBindCall.NtdsapiClientGuid,
            SourceInvocationId = sourceInvocationId,
            NamingContext = namingContext,
            UsnVectorFrom = usnVectorFrom,
            UpToDateVector = upToDateVector,
            Flags = DrsOptions.InitialSync | DrsOptions.PeriodicSync | DrsOptions.GetAncestors | DrsOptions.NeverSynced | DrsOptions.WritableReplica,
            MaxObjects = maxObjects,
            MaxBytes = maxBytes,
            ExtendedOperation = ExtendedOperation.None,
        };
    }

    /// <summary>
    /// One account with its secrets: EXOP_REPL_OBJ on the object's DSNAME with INIT_SYNC | WRIT_REP (impacket and
    /// DSInternals), cMaxObjects 1, and a partial attribute set of <see cref="ReplicationAttributes.AccountAttributes"/>
    /// and isDeleted (so a tombstone shows as one)
    /// with a prefix table that ends in the schemaInfo entry Samba requires (WERR_INVALID_PARAMETER otherwise).
    /// </summary>
    /// <param name="account">The account's DSNAME (GUID from CrackNames of <c>DOMAIN\sam</c>, or DN, or SID).</param>
    /// <param name="destinationDsa">The DC's NtdsDsaObjectGuid (from IDL_DRSDomainControllerInfo), as impacket sends.</param>
    /// <returns>The request.</returns>
    public static GetNCChangesRequest ForAccount(DsName account, Guid destinationDsa)
    {
        ArgumentNullException.ThrowIfNull(account);
        SchemaPrefixTable table = SchemaPrefixTable.ForRequest(s_accountRequestAttributes);
        var attributes = new uint[s_accountRequestAttributes.Length];
        for (int i = 0; i < attributes.Length; i++)
        {
            if (!table.TryGetAttributeType(s_accountRequestAttributes[i], out attributes[i]))
            {
                throw new InvalidOperationException("The request prefix table misses an attribute prefix.");
            }
        }

        return new GetNCChangesRequest
        {
            DestinationDsa = destinationDsa,
            NamingContext = account,
            Flags = DrsOptions.InitialSync | DrsOptions.WritableReplica,
            MaxObjects = 1,
            MaxBytes = 0,
            ExtendedOperation = ExtendedOperation.ReplicateObject,
            PartialAttributeSet = attributes,
            PrefixTable = table,
        };
    }
}
