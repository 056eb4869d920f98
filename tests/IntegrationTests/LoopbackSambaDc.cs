namespace PasswordHashSync.IntegrationTests;

/// <summary>
/// Tests that start a Samba AD DC share this collection so that they never run at the same time. Each DC has its own
/// loopback address (<see cref="PasswordHashSync.TestSupport.LoopbackAddress"/>) and pid directory, so they no longer
/// answer each other's clients; running them one after the other still keeps the 2-core test machine responsive
/// (each DC's provisioning and start are CPU-bound).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackSambaDc
{
    /// <summary>The collection name to put on every test class that starts a DC on loopback.</summary>
    public const string Name = "Samba AD DC on loopback";
}
