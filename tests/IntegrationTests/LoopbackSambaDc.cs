namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// Tests that start a Samba AD DC on 127.0.0.1 (fixed ports 88, 389, 445) share this collection so that they never
/// run at the same time: two DCs on loopback would answer each other's clients.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackSambaDc
{
    /// <summary>The collection name to put on every test class that starts a DC on loopback.</summary>
    public const string Name = "Samba AD DC on loopback";
}
