using System.Formats.Asn1;

namespace PasswordHashSync.Replication.Kerberos.Asn1;

/// <summary>PrincipalName (RFC 4120 5.2.2): a name type and its components (realm excluded).</summary>
/// <param name="NameType">NT-PRINCIPAL 1, NT-SRV-INST 2, NT-SRV-HST 3, NT-ENTERPRISE 10 ...</param>
/// <param name="Components">The name components, for example ["ldap", "dc1.contoso.com"].</param>
internal sealed record KerberosPrincipalName(int NameType, IReadOnlyList<string> Components)
{
    /// <summary>NT-PRINCIPAL.</summary>
    public const int Principal = 1;

    /// <summary>NT-SRV-INST (krbtgt/REALM, service/host).</summary>
    public const int ServiceInstance = 2;

    /// <summary>A user principal with one component.</summary>
    public static KerberosPrincipalName User(string name) => new(Principal, [name]);

    /// <summary>A service principal service/host.</summary>
    public static KerberosPrincipalName Service(string service, string host) => new(ServiceInstance, [service, host]);

    /// <summary>Writes [tag] PrincipalName.</summary>
    public void Write(AsnWriter writer, int tag)
    {
        writer.PushSequence(KerberosAsn1.Context(tag));
        writer.PushSequence();
        KerberosAsn1.WriteInteger(writer, 0, NameType);
        writer.PushSequence(KerberosAsn1.Context(1));
        writer.PushSequence();
        foreach (string component in Components)
        {
            KerberosAsn1.WriteKerberosString(writer, component);
        }

        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Context(1));
        writer.PopSequence();
        writer.PopSequence(KerberosAsn1.Context(tag));
    }

    /// <summary>Reads [tag] PrincipalName.</summary>
    public static KerberosPrincipalName Read(AsnReader reader, int tag)
    {
        AsnReader outer = reader.ReadSequence(KerberosAsn1.Context(tag));
        AsnReader sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        int nameType = KerberosAsn1.ReadInt32(sequence, 0);
        AsnReader namesTag = sequence.ReadSequence(KerberosAsn1.Context(1));
        AsnReader names = namesTag.ReadSequence();
        namesTag.ThrowIfNotEmpty();
        sequence.ThrowIfNotEmpty();
        var components = new List<string>();
        while (names.HasData)
        {
            components.Add(KerberosAsn1.ReadKerberosString(names));
        }

        return new KerberosPrincipalName(nameType, components);
    }

    /// <summary>The components joined with '/'.</summary>
    public override string ToString() => string.Join('/', Components);
}
