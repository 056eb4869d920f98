using PasswordHashSync.Replication.Kerberos.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Kdc;

/// <summary>Client keys read from a keytab: the highest key version of each etype for one principal.</summary>
internal sealed class KeytabClientKeys : KerberosClientKeys
{
    private readonly Dictionary<int, KeytabReader.Entry> _keys;

    /// <summary>Takes the entries of <paramref name="userName"/>@<paramref name="realm"/> (realm compared case-insensitively); disposes the others.</summary>
    /// <exception cref="KerberosException">The keytab holds no key of that principal.</exception>
    public KeytabClientKeys(List<KeytabReader.Entry> entries, string userName, string realm)
    {
        _keys = [];
        foreach (KeytabReader.Entry entry in entries)
        {
            bool matches = entry.Components.Count == 1
                && string.Equals(entry.Components[0], userName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(entry.Realm, realm, StringComparison.OrdinalIgnoreCase);
            if (matches && (!_keys.TryGetValue(entry.EncryptionType, out KeytabReader.Entry? held) || held.KeyVersion < entry.KeyVersion))
            {
                held?.Dispose();
                _keys[entry.EncryptionType] = entry;
            }
            else
            {
                entry.Dispose();
            }
        }

        if (_keys.Count == 0)
        {
            throw new KerberosException($"The keytab holds no key for {userName}@{realm}.");
        }
    }

    public override bool CanProvide(int encryptionType) => _keys.ContainsKey(encryptionType);

    public override EncryptionKey? GetKey(int encryptionType, byte[]? salt, int? iterationCount, string realm, KerberosPrincipalName client) =>
        _keys.TryGetValue(encryptionType, out KeytabReader.Entry? entry) ? new EncryptionKey(encryptionType, entry.Key) : null;

    protected override void Dispose(bool disposing)
    {
        foreach (KeytabReader.Entry entry in _keys.Values)
        {
            entry.Dispose();
        }

        base.Dispose(disposing);
    }
}
