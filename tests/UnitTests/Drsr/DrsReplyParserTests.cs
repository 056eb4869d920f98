using System.Text.Json;
using PasswordHashSync.Replication;
using PasswordHashSync.Replication.Drsr;

namespace PasswordHashSync.UnitTests.Drsr;

/// <summary>
/// IDL_DRSGetNCChanges replies packed by Samba's own NDR (V6 and V1, random objects with attributes in random order,
/// a prefix table with random indices, metadata, linked values, and secrets encrypted under a random 16- or 32-byte
/// session key with Samba's DES and RC4) parse and map to exactly the values the Python side put in.
/// </summary>
public class DrsReplyParserTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 100)]
    [InlineData(3, 100)]
    public void Samba_packed_replies_parse_and_map_to_the_values_samba_was_given(int seed, int count)
    {
        string output = SambaNdrReference.Run("replies", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int replies = 0, objects = 0, hashes = 0, histories = 0;
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonElement expected = JsonDocument.Parse(line).RootElement;
            byte[] stub = Convert.FromHexString(expected.GetProperty("stub").GetString()!);
            using GetNCChangesReply reply = GetNCChangesReply.Parse(stub);
            Assert.Equal(expected.GetProperty("version").GetInt32(), reply.Version);
            Assert.Equal(0, reply.Result);
            Assert.Equal(new Guid(expected.GetProperty("invocationId").GetString()!), reply.SourceInvocationId);
            JsonElement usnTo = expected.GetProperty("usnTo");
            Assert.Equal(new UsnVector(usnTo[0].GetInt64(), usnTo[1].GetInt64(), usnTo[2].GetInt64()), reply.UsnVectorTo);
            Assert.Equal(expected.GetProperty("moreData").GetBoolean(), reply.MoreData);
            Assert.Equal(expected.GetProperty("extendedRet").GetUInt32(), reply.ExtendedResult);
            Assert.Equal(expected.GetProperty("linked").GetInt32(), reply.LinkedValueCount);
            Assert.Equal("DC=samdom,DC=example,DC=com", reply.NamingContext!.DistinguishedName);
            JsonElement cursors = expected.GetProperty("cursors");
            if (cursors.ValueKind == JsonValueKind.Null)
            {
                Assert.Null(reply.UpToDateVector);
            }
            else
            {
                Assert.Equal(
                    cursors.EnumerateArray().Select(c => new UpToDateCursor(new Guid(c[0].GetString()!), c[1].GetInt64(), c[2].GetInt64())),
                    reply.UpToDateVector!);
            }

            using var decryptor = new ReplicatedSecretDecryptor(Convert.FromHexString(expected.GetProperty("sessionKey").GetString()!));
            List<ReplicatedAccount> accounts = ReplicatedObjectMapper.MapAccounts(reply, decryptor);
            JsonElement[] expectedObjects = [.. expected.GetProperty("objects").EnumerateArray()];
            Assert.Equal(expectedObjects.Length, accounts.Count);
            for (int i = 0; i < accounts.Count; i++)
            {
                using ReplicatedAccount account = accounts[i];
                JsonElement e = expectedObjects[i];
                AssertAccount(e, account);
                objects++;
                hashes += account.NtHash.IsEmpty ? 0 : 1;
                histories += account.NtHashHistory.Count;
            }

            replies++;
        }

        Assert.Equal(count, replies);
        Assert.True(objects > count, $"only {objects} objects in {count} replies");
        Assert.True(hashes > 0 && histories > 0);
    }

    private static void AssertAccount(JsonElement e, ReplicatedAccount account)
    {
        PasswordHashSync.Directory.DirectoryUser user = account.User;
        Assert.Equal(e.GetProperty("dn").GetString(), user.DistinguishedName);
        Assert.Equal(new Guid(e.GetProperty("guid").GetString()!), account.ObjectGuid);
        Assert.Equal(e.GetProperty("sid").GetString(), account.ObjectSid);
        Assert.Equal(e.GetProperty("rid").GetUInt32(), user.Rid);
        Assert.Equal(e.GetProperty("sam").GetString(), account.SamAccountName);
        Assert.Equal(
            e.GetProperty("classes").EnumerateArray().Select(c => c.GetString() == "unknownClass" ? "1.2.840.113556.1.5.7000.99999" : c.GetString()),
            user.ObjectClasses);
        Assert.Equal(e.TryGetProperty("upn", out JsonElement upn) ? upn.GetString() : null, account.UserPrincipalName);
        Assert.Equal(e.TryGetProperty("adminDescription", out JsonElement ad) ? ad.GetString() : null, user.AdminDescription);
        Assert.Equal(e.GetProperty("uac").GetUInt32(), (uint)account.UserAccountControl);
        long pwdLastSet = e.GetProperty("pwdLastSet").GetInt64();
        Assert.Equal(pwdLastSet, user.PwdLastSet);
        Assert.Equal(e.GetProperty("ntHash").GetString(), Convert.ToHexStringLower(account.NtHash.Span));
        Assert.Equal(e.GetProperty("ntHash").GetString(), Convert.ToHexStringLower(user.NtHash.Span));
        Assert.Equal(
            e.GetProperty("history").EnumerateArray().Select(h => h.GetString()),
            account.NtHashHistory.Select(h => Convert.ToHexStringLower(h.Span)));
        Assert.Equal(e.GetProperty("supplemental").GetString(), Convert.ToHexStringLower(account.SupplementalCredentials.Span));
        if (e.TryGetProperty("pwdChanged", out JsonElement changed))
        {
            // DSTIME: seconds since 1601-01-01 UTC.
            Assert.Equal(new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(changed.GetInt64()), user.PasswordLastChanged);
        }
        else if (pwdLastSet is > 0 and < 2650467743999999999)
        {
            Assert.Equal(DateTimeOffset.FromFileTime(pwdLastSet).ToUniversalTime(), user.PasswordLastChanged);
        }
        else
        {
            Assert.Null(user.PasswordLastChanged);
        }

        Assert.DoesNotContain(account.NtHash.IsEmpty ? "\u0000" : Convert.ToHexString(account.NtHash.Span), account.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
