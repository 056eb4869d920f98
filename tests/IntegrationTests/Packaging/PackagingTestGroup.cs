namespace PasswordHashSync.IntegrationTests.Packaging;

/// <summary>Shares one packed package between the packaging test classes (packing takes tens of seconds).</summary>
[CollectionDefinition(Name)]
public sealed class PackagingTestGroup : ICollectionFixture<PackedPackageFixture>
{
    public const string Name = "Packaging";
}
