using System.Reflection;
using PasswordHashSync.Cryptography;
using PasswordHashSync.Replication.Ntlm;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.UnitTests.Replication.Ntlm;

/// <summary>NtlmCredential keeps only the NT hash, zeroes it on Dispose, and never shows it.</summary>
public sealed class NtlmCredentialTests
{
    [Fact]
    public async Task PasswordAndHashConstructors_GiveTheSameResponses()
    {
        byte[] hash = new byte[16];
        Md4.HashData(System.Text.Encoding.Unicode.GetBytes("Pässwörd-😀"), hash);
        using var fromPassword = new NtlmCredential("User", "DOM", "Pässwörd-😀".AsSpan());
        using var fromHash = new NtlmCredential("User", "DOM", hash);

        Assert.Equal(hash, Secret(fromPassword));
        Assert.Equal(hash, Secret(fromHash));
        using IRpcSecurityContext context = await fromPassword.CreateSecurityContextAsync(new RpcSecurityTarget("dc", null), default);
        Assert.Equal(NtlmSecurityContext.NtlmAuthType, context.AuthType);
        Assert.False(context.IsComplete);
        Assert.Throws<RpcSecurityException>(() => _ = context.SessionKey.Length);
    }

    [Fact]
    public async Task Dispose_ZeroesTheHash_AndRefusesNewContexts()
    {
        var credential = new NtlmCredential("User", "DOM", "secret".AsSpan());
        Assert.DoesNotContain("secret", credential.ToString(), StringComparison.Ordinal);
        Assert.Equal("DOM\\User", credential.ToString());

        credential.Dispose();

        Assert.Equal(new byte[16], Secret(credential));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await credential.CreateSecurityContextAsync(new RpcSecurityTarget("dc", null), default));
    }

    [Fact]
    public void WrongHashLength_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new NtlmCredential("User", "DOM", new byte[15]));

    private static byte[] Secret(NtlmCredential credential) =>
        (byte[])typeof(NtlmCredential).GetField("_ntHash", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(credential)!;
}
