using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;

using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.Sync;

/// <summary>
/// Answers "why didn't this user's password sync?" with every documented reason that applies, and checks the channel
/// as the product's troubleshooter does. Pure: no I/O, the time is an argument.
/// </summary>
public sealed class SyncDiagnostics
{
    private readonly IKerberosKeyExtractor _kerberosKeyExtractor;

    /// <summary>Creates the diagnostics.</summary>
    /// <param name="kerberosKeyExtractor">
    /// Used to check for Kerberos keys when the managed domain is enabled; <see langword="null"/> for the library's
    /// <see cref="SupplementalCredentialsKerberosKeyExtractor"/>.
    /// </param>
    public SyncDiagnostics(IKerberosKeyExtractor? kerberosKeyExtractor = null) =>
        _kerberosKeyExtractor = kerberosKeyExtractor ?? SupplementalCredentialsKerberosKeyExtractor.Instance;

    /// <summary>Diagnoses one user.</summary>
    /// <param name="user">The user.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="state">The engine's state (for the retry queue and last applied change), or <see langword="null"/>.</param>
    /// <param name="context">The connector/cloud state, or <see langword="null"/> for the default.</param>
    /// <returns>The diagnosis.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> or <paramref name="settings"/> is <see langword="null"/>.</exception>
    public UserSyncDiagnosis Diagnose(DirectoryUser user, PasswordHashSyncSettings settings, SyncState? state = null, SyncUserContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(settings);
        string anchor = SyncPlanner.GetSourceAnchor(user);
        SyncEvaluation evaluation = SyncPlanner.Evaluate(user, settings, context);
        var reasons = new List<SyncReason>(evaluation.Reasons);
        SyncUserState? userState = state is not null && state.Users.TryGetValue(anchor, out SyncUserState? s) ? s : null;
        SyncRetryEntry? retry = state is not null && state.RetryQueue.TryGetValue(anchor, out SyncRetryEntry? r) ? r : null;

        if (settings.ManagedDomainEnabled && user.NtHash.Length == NtHash.SizeInBytes)
        {
            if (!HasKerberosKeys(user))
            {
                reasons.Add(SyncReason.KerberosKeysMissing);
            }
            else if (userState?.ManagedDomainPending == true)
            {
                reasons.Add(SyncReason.KerberosKeysRetried);
            }
        }

        if (retry is not null && !(userState?.ManagedDomainPending == true && retry.Version == userState.LastApplied))
        {
            reasons.Add(SyncReason.ExportFailed);
        }

        PasswordChangeVersion version = PasswordChangeVersion.Of(user);
        if ((context ?? SyncUserContext.Default).CloudPasswordChanged is DateTimeOffset cloudChanged && version.IsTimeKnown && cloudChanged >= version.ChangeTime)
        {
            reasons.Add(SyncReason.CloudPasswordOverridden);
        }

        var findings = reasons.ConvertAll(reason => new SyncFinding(reason));
        PasswordSyncStatus status = findings.FirstOrDefault(f => f.PreventsSync)?.Status
            ?? findings.FirstOrDefault(f => f.Reason is SyncReason.ExportFailed or SyncReason.KerberosKeysMissing or SyncReason.KerberosKeysRetried)?.Status
            ?? PasswordSyncStatus.Success;
        return new UserSyncDiagnosis(anchor, user.DistinguishedName, status, findings, userState, retry);
    }

    /// <summary>
    /// Checks the channel: tenant feature and connector channel on, not in staging mode, replication permissions, full
    /// directory sync completed, and a heartbeat (or a successful export) within the last three hours.
    /// </summary>
    /// <param name="settings">The settings.</param>
    /// <param name="state">The engine's state.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The diagnosis.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> or <paramref name="state"/> is <see langword="null"/>.</exception>
    public static ChannelSyncDiagnosis CheckChannel(PasswordHashSyncSettings settings, SyncState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(state);
        var reasons = new List<SyncReason>();
        SyncPlanner.AddChannelReasons(settings, reasons);
        DateTimeOffset? lastActivity = Max(state.LastHeartbeat, state.LastSuccessfulExport);
        if (lastActivity is not DateTimeOffset last || now - last > PasswordHashSyncSettings.HeartbeatHealthWindow)
        {
            reasons.Add(SyncReason.NoRecentHeartbeat);
        }

        return new ChannelSyncDiagnosis(reasons.ConvertAll(reason => new SyncFinding(reason)), lastActivity, state.InitialSyncCompleted, state.RetryQueue.Count);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private bool HasKerberosKeys(DirectoryUser user)
    {
        if (user.SupplementalCredentials.IsEmpty)
        {
            return false;
        }

        IReadOnlyList<KerberosKey> keys;
        try
        {
            keys = _kerberosKeyExtractor.ExtractCurrentKeys(user.SupplementalCredentials);
        }
        catch (FormatException)
        {
            return false;
        }

        foreach (KerberosKey key in keys)
        {
            key.Dispose();
        }

        return keys.Count > 0;
    }
}
