using PasswordHashSync.Replication.Kerberos.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>
/// Client keys read from a keytab: the highest key version of each etype for one principal. The keytab is read once
/// here and again before every later sign-in (<see cref="Reload"/>), so an agent picks up a rotated keytab (a new key
/// version after a password change) without a restart.
/// </summary>
internal sealed class KeytabClientKeys : KerberosClientKeys
{
    private readonly Func<List<KeytabReader.Entry>> _read;
    private readonly string _userName;
    private readonly string _realm;
    private Dictionary<int, KeytabReader.Entry> _keys;
    private bool _fresh = true;

    /// <summary>Reads the keytab with <paramref name="read"/> and takes the entries of <paramref name="userName"/>@<paramref name="realm"/> (realm compared case-insensitively).</summary>
    /// <exception cref="KerberosException">The keytab holds no key of that principal.</exception>
    /// <remarks>Whatever <paramref name="read"/> throws here propagates as it is (a configuration error at start).</remarks>
    public KeytabClientKeys(Func<List<KeytabReader.Entry>> read, string userName, string realm)
    {
        _read = read;
        _userName = userName;
        _realm = realm;
        _keys = Select(read(), userName, realm);
    }

    public override bool CanProvide(int encryptionType) => _keys.ContainsKey(encryptionType);

    public override EncryptionKey? GetKey(int encryptionType, byte[]? salt, int? iterationCount, string realm, KerberosPrincipalName client) =>
        _keys.TryGetValue(encryptionType, out KeytabReader.Entry? entry) ? new EncryptionKey(encryptionType, entry.Key) : null;

    /// <summary>Reads the keytab again (not before the first sign-in: the constructor just read it); the old keys are zeroed once the new ones are in.</summary>
    /// <exception cref="KerberosException">The keytab cannot be read, is malformed or no longer holds a key of the principal.</exception>
    public override void Reload()
    {
        if (_fresh)
        {
            _fresh = false;
            return;
        }

        Dictionary<int, KeytabReader.Entry> keys;
        try
        {
            keys = Select(_read(), _userName, _realm);
        }
        catch (KerberosException e)
        {
            throw new KerberosException($"Cannot sign in again as {_userName}@{_realm}: {e.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reader is the caller's (the agent checks the file's owner and mode); any failure is a refused sign-in
            // with the reader's message, not a crash, and not a reason to fall back to NTLM.
            throw new KerberosException($"Cannot sign in again as {_userName}@{_realm}: the keytab could not be read again: {e.Message}", e);
        }

        Dispose(_keys.Values);
        _keys = keys;
    }

    protected override void Dispose(bool disposing)
    {
        Dispose(_keys.Values);
        base.Dispose(disposing);
    }

    private static Dictionary<int, KeytabReader.Entry> Select(List<KeytabReader.Entry> entries, string userName, string realm)
    {
        var keys = new Dictionary<int, KeytabReader.Entry>();
        foreach (KeytabReader.Entry entry in entries)
        {
            bool matches = entry.Components.Count == 1
                && string.Equals(entry.Components[0], userName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(entry.Realm, realm, StringComparison.OrdinalIgnoreCase);
            if (matches && (!keys.TryGetValue(entry.EncryptionType, out KeytabReader.Entry? held) || held.KeyVersion < entry.KeyVersion))
            {
                held?.Dispose();
                keys[entry.EncryptionType] = entry;
            }
            else
            {
                entry.Dispose();
            }
        }

        return keys.Count == 0 ? throw new KerberosException($"The keytab holds no key for {userName}@{realm}.") : keys;
    }

    private static void Dispose(IEnumerable<KeytabReader.Entry> entries)
    {
        foreach (KeytabReader.Entry entry in entries)
        {
            entry.Dispose();
        }
    }
}
