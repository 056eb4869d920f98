using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PasswordHashSync.Digest;
using PasswordHashSync.Directory;
using PasswordHashSync.Kerberos;
using PasswordHashSync.SupplementalCredentials;
using PasswordHashSync.Sync;

namespace PasswordHashSync.UnitTests;

/// <summary>
/// The expected sync decision of every object of a Samba export (the committed sample or a freshly provisioned
/// domain), written from the manifest's <c>demonstrates</c> and the documented rules of reference-phs-spec.md
/// (§3.1 object type, §3.2 default rule and selective PHS, §3.3 temporary passwords, §3.5 staging, §4.2 expiration,
/// §5.2 managed domain / SyncNtlmPasswords, §6.5 status values, §6.7 reasons), never by asking the engine.
/// Compiled into the unit tests (committed sample) and linked into the integration tests (live Samba export).
/// </summary>
internal static class SampleDirectorySyncRules
{
    /// <summary>What the manifest says each object demonstrates, reduced to the attributes the rules read.</summary>
    [Flags]
    public enum Trait
    {
        None = 0,
        TemporaryPassword = 1,  // "must change password at next logon (pwdLastSet=0)"
        Disabled = 2,           // "disabled account"
        PhsFiltered = 4,        // "adminDescription PHSFiltered"
        Computer = 8,           // kind computer
        Contact = 16,           // kind contact
        PhsIncluded = 32,       // only the synthetic IncludeOnly variant
    }

    /// <summary>The table: sAMAccountName (or cn for the contact) to its traits.</summary>
    public static readonly IReadOnlyDictionary<string, Trait> Table = new Dictionary<string, Trait>(StringComparer.Ordinal)
    {
        ["Alice.Smith"] = Trait.None,
        ["bob"] = Trait.None,
        ["CarolW"] = Trait.None,
        ["dave.nonascii"] = Trait.None,
        ["Emoji.User"] = Trait.None,
        ["frank.temp"] = Trait.TemporaryPassword,
        ["grace.disabled"] = Trait.Disabled,
        ["heidi.filtered"] = Trait.PhsFiltered,
        ["ivan.reversible"] = Trait.None,
        ["WS01$"] = Trait.Computer,
        ["SRV-APP02$"] = Trait.Computer,
        ["Zoe External"] = Trait.Contact,
    };

    /// <summary>One object of the export with its manifest entry.</summary>
    public sealed record Entry(string Name, string? Password, string Kind, Trait Traits, DirectoryUser User);

    /// <summary>Reads an export and its manifest and pairs every object with its table row (every object must have one).</summary>
    public static IReadOnlyList<Entry> Load(string ldifPath, string manifestPath)
    {
        List<DirectoryUser> users = LdifDirectoryReader.ReadFile(ldifPath).ToList();
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var entries = new List<Entry>();
        foreach (JsonElement a in manifest.RootElement.GetProperty("accounts").EnumerateArray())
        {
            string? sam = a.GetProperty("sAMAccountName").GetString();
            string name = sam ?? a.GetProperty("cn").GetString()!;
            DirectoryUser user = sam is not null
                ? users.Single(u => u.SamAccountName == sam)
                : users.Single(u => u.DistinguishedName.StartsWith("CN=" + name + ",", StringComparison.Ordinal));
            entries.Add(new Entry(name, a.GetProperty("password").GetString(), a.GetProperty("kind").GetString()!, Table[name], user));
        }

        // Every object of the export is covered: nothing the engine sees escapes the table.
        Assert.Equal(users.Count, entries.Count);
        Assert.Equal(Table.Count, entries.Count);
        return entries;
    }

    /// <summary>The table row agrees with the object's attributes (so the expectations below follow from attributes).</summary>
    public static void AssertTraitsMatchAttributes(Entry e)
    {
        DirectoryUser u = e.User;
        Assert.Equal(e.Traits.HasFlag(Trait.TemporaryPassword), u.PwdLastSet == 0);
        Assert.Equal(e.Traits.HasFlag(Trait.Disabled), (u.UserAccountControl & UserAccountControl.AccountDisabled) != 0);
        Assert.Equal(e.Traits.HasFlag(Trait.PhsFiltered), u.AdminDescription == "PHSFiltered");
        Assert.Equal(e.Traits.HasFlag(Trait.Computer), e.Kind == "computer" && u.HasObjectClass("computer"));
        Assert.Equal(e.Traits.HasFlag(Trait.Contact), e.Kind == "contact" && u.HasObjectClass("contact"));
        Assert.Equal(e.Kind == "contact", u.NtHash.IsEmpty);
        Assert.Equal(e.Kind == "user", string.Equals(u.ObjectClasses[^1], "user", StringComparison.Ordinal));
    }

    /// <summary>The documented reasons for an object under the settings, computed from its traits alone.</summary>
    public static HashSet<SyncReason> ExpectedReasons(Trait t, PasswordHashSyncSettings s)
    {
        var r = new HashSet<SyncReason>();
        if (s.StagingMode)
        {
            r.Add(SyncReason.StagingMode);                  // §3.5: a staging server syncs no password
        }

        if (t.HasFlag(Trait.Computer) || t.HasFlag(Trait.Contact))
        {
            r.Add(SyncReason.NotUserObject);                // §3.1: only object type user
        }

        if (t.HasFlag(Trait.Disabled) && !s.SyncDisabledAccounts)
        {
            r.Add(SyncReason.AccountDisabled);              // §3.2: default rule needs UAC bit 2 clear
        }

        if (s.SelectivePasswordHashSync == SelectivePasswordHashSyncMode.ExcludeFiltered && t.HasFlag(Trait.PhsFiltered))
        {
            r.Add(SyncReason.SelectiveSyncFiltered);        // §3.2 SEL-PHS: PHSFiltered excluded
        }

        if (s.SelectivePasswordHashSync == SelectivePasswordHashSyncMode.IncludeOnly && !t.HasFlag(Trait.PhsIncluded))
        {
            r.Add(SyncReason.SelectiveSyncNotIncluded);     // §3.2 SEL-PHS: only PHSIncluded
        }

        if (t.HasFlag(Trait.Contact))
        {
            r.Add(SyncReason.NoPasswordHash);               // §6.7 #17: no hash, nothing to send
        }

        if (t.HasFlag(Trait.TemporaryPassword) && !s.ForcePasswordChangeOnLogOn)
        {
            r.Add(SyncReason.TemporaryPassword);            // §3.3: FilteredByTarget unless the feature is on
        }

        return r;
    }

    /// <summary>Plans every object and checks each decision against the rules. Returns the exported decisions' names.</summary>
    public static List<string> PlanAndAssert(SyncPlanner planner, IReadOnlyList<Entry> entries, PasswordHashSyncSettings settings, Func<Entry, Entry>? adjust = null)
    {
        List<Entry> adjusted = entries.Select(e => adjust?.Invoke(e) ?? e).ToList();
        using SyncPlan plan = planner.Plan(adjusted.Select(e => e.User), settings);
        Assert.Equal(adjusted.Count, plan.Decisions.Count);
        var exported = new List<string>();
        var randomNtHashes = new List<string>();
        foreach (Entry e in adjusted)
        {
            SyncDecision d = plan.Decisions.Single(x => x.DistinguishedName == e.User.DistinguishedName);
            HashSet<SyncReason> expected = ExpectedReasons(e.Traits, settings);
            string who = $"{e.Name}: {d}";
            Assert.True(expected.SetEquals(d.Reasons), $"{who}; expected reasons [{string.Join(", ", expected)}]");
            if (expected.Count > 0)
            {
                Assert.True(d.Action == SyncAction.Skip, who);
                Assert.Null(d.CloudRecord);
                Assert.Null(d.ManagedDomainRecord);
                Assert.NotEqual(PasswordSyncStatus.Success, d.Status);
                if (expected.SetEquals([SyncReason.TemporaryPassword]))
                {
                    Assert.Equal(PasswordSyncStatus.FilteredByTarget, d.Status); // §6.5, verbatim meaning
                }

                continue;
            }

            Assert.True(d.Action == SyncAction.Export, who);
            Assert.Equal(PasswordSyncStatus.Success, d.Status);
            exported.Add(e.Name);
            AssertCloudRecord(e, d.CloudRecord!, settings);
            if (!settings.ManagedDomainEnabled)
            {
                Assert.Null(d.ManagedDomainRecord);
                continue;
            }

            ManagedDomainRecord m = d.ManagedDomainRecord!;
            Assert.NotNull(m);
            Assert.Equal(e.Traits.HasFlag(Trait.TemporaryPassword) && settings.ForcePasswordChangeOnLogOn, m.PwdLastSetZero);
            AssertKerberosKeysFromPassword(e, m.KerberosKeys);
            Assert.Equal(NtHash.SizeInBytes, m.NtHash.Length);
            if (settings.SyncNtlmPasswords)
            {
                Assert.False(m.NtHashRandomized);
                Assert.Equal(Convert.ToHexString(NtHash.Compute(e.Password!)), Convert.ToHexString(m.NtHash.Span));
            }
            else
            {
                // §5.2: "a random, high-entropy NTLM hash (different from the user's password)".
                Assert.True(m.NtHashRandomized);
                Assert.NotEqual(Convert.ToHexString(NtHash.Compute(e.Password!)), Convert.ToHexString(m.NtHash.Span));
                Assert.NotEqual(Convert.ToHexString(e.User.NtHash.Span), Convert.ToHexString(m.NtHash.Span));
                randomNtHashes.Add(Convert.ToHexString(m.NtHash.Span));
            }
        }

        Assert.Equal(randomNtHashes.Count, randomNtHashes.Distinct().Count());
        return exported;
    }

    /// <summary>The random NT hashes of one planning run (SyncNtlmPasswords off), to compare two runs.</summary>
    public static List<string> RandomNtHashes(SyncPlanner planner, IReadOnlyList<Entry> entries, PasswordHashSyncSettings settings)
    {
        using SyncPlan plan = planner.Plan(entries.Select(e => e.User), settings);
        return plan.Exports.Select(d => Convert.ToHexString(d.ManagedDomainRecord!.NtHash.Span)).ToList();
    }

    /// <summary>A copy of an entry's object whose adminDescription is PHSIncluded (the export has none).</summary>
    public static Entry WithPhsIncluded(Entry e) => e with
    {
        Traits = e.Traits | Trait.PhsIncluded,
        User = new DirectoryUser
        {
            DistinguishedName = e.User.DistinguishedName,
            ObjectClasses = e.User.ObjectClasses,
            SamAccountName = e.User.SamAccountName,
            UserPrincipalName = e.User.UserPrincipalName,
            ObjectSid = e.User.ObjectSid,
            Rid = e.User.Rid,
            ObjectGuid = e.User.ObjectGuid,
            UserAccountControl = e.User.UserAccountControl,
            PwdLastSet = e.User.PwdLastSet,
            AdminDescription = "PHSIncluded",
            NtHash = e.User.NtHash,
            SupplementalCredentials = e.User.SupplementalCredentials,
            PasswordLastChanged = e.User.PasswordLastChanged,
        },
    };

    /// <summary>Default settings: every enabled user exported; frank (temporary), grace (disabled), computers and the contact not.</summary>
    public static void DefaultSettings(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        Assert.All(entries, AssertTraitsMatchAttributes);
        List<string> exported = PlanAndAssert(planner, entries, new PasswordHashSyncSettings());
        // heidi is exported: PHSFiltered means nothing until selective sync is configured (§3.2).
        Assert.Equal(["Alice.Smith", "bob", "CarolW", "dave.nonascii", "Emoji.User", "heidi.filtered", "ivan.reversible"], exported);
    }

    /// <summary>ForcePasswordChangeOnLogOn on: frank.temp is exported with the force-change flag.</summary>
    public static void ForcePasswordChange(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        List<string> exported = PlanAndAssert(planner, entries, new PasswordHashSyncSettings { ForcePasswordChangeOnLogOn = true });
        Assert.Contains("frank.temp", exported);
        Assert.Equal(8, exported.Count);
    }

    /// <summary>SyncDisabledAccounts on: grace.disabled is exported.</summary>
    public static void SyncDisabled(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        List<string> exported = PlanAndAssert(planner, entries, new PasswordHashSyncSettings { SyncDisabledAccounts = true });
        Assert.Contains("grace.disabled", exported);
        Assert.Equal(8, exported.Count);
    }

    /// <summary>Selective sync: ExcludeFiltered drops heidi only; IncludeOnly exports nobody, then only a PHSIncluded copy of bob.</summary>
    public static void Selective(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        List<string> excluded = PlanAndAssert(planner, entries, new PasswordHashSyncSettings { SelectivePasswordHashSync = SelectivePasswordHashSyncMode.ExcludeFiltered });
        Assert.Equal(["Alice.Smith", "bob", "CarolW", "dave.nonascii", "Emoji.User", "ivan.reversible"], excluded);

        var includeOnly = new PasswordHashSyncSettings { SelectivePasswordHashSync = SelectivePasswordHashSyncMode.IncludeOnly };
        Assert.Empty(PlanAndAssert(planner, entries, includeOnly));
        Assert.Equal(["bob"], PlanAndAssert(planner, entries, includeOnly, e => e.Name == "bob" ? WithPhsIncluded(e) : e));
    }

    /// <summary>Staging mode: nothing is exported, every object carries StagingMode, with every variant switched on.</summary>
    public static void Staging(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        Assert.Empty(PlanAndAssert(planner, entries, new PasswordHashSyncSettings { StagingMode = true }));
        Assert.Empty(PlanAndAssert(planner, entries, new PasswordHashSyncSettings
        {
            StagingMode = true, ForcePasswordChangeOnLogOn = true, SyncDisabledAccounts = true, ManagedDomainEnabled = true,
        }));
    }

    /// <summary>Managed domain: NT hash and Kerberos keys of the manifest passwords, for every exported user (all variants on).</summary>
    public static void ManagedDomain(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        Assert.Equal(7, PlanAndAssert(planner, entries, new PasswordHashSyncSettings { ManagedDomainEnabled = true }).Count);
        Assert.Equal(9, PlanAndAssert(planner, entries, new PasswordHashSyncSettings
        {
            ManagedDomainEnabled = true, ForcePasswordChangeOnLogOn = true, SyncDisabledAccounts = true,
        }).Count);
    }

    /// <summary>SyncNtlmPasswords off: random 16-byte NT hashes, unlike the user's, unique per user and per run.</summary>
    public static void NtlmOff(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        var settings = new PasswordHashSyncSettings { ManagedDomainEnabled = true, SyncNtlmPasswords = false };
        Assert.Equal(7, PlanAndAssert(planner, entries, settings).Count);
        List<string> first = RandomNtHashes(planner, entries, settings);
        List<string> second = RandomNtHashes(planner, entries, settings);
        Assert.Equal(7, first.Count);
        Assert.Equal(first.Count, second.Count);
        Assert.All(first.Zip(second), p => Assert.NotEqual(p.First, p.Second));
        Assert.Equal(14, first.Concat(second).Distinct().Count());
    }

    /// <summary>Computers and the contact are never exported, whatever is switched on.</summary>
    public static void NonUsersNeverSynced(SyncPlanner planner, IReadOnlyList<Entry> entries)
    {
        var everything = new PasswordHashSyncSettings
        {
            ForcePasswordChangeOnLogOn = true, SyncDisabledAccounts = true, ManagedDomainEnabled = true,
            CloudPasswordPolicyForPasswordSyncedUsersEnabled = true,
        };
        List<string> exported = PlanAndAssert(planner, entries, everything);
        Assert.Equal(9, exported.Count);
        Assert.DoesNotContain(exported, n => Table[n].HasFlag(Trait.Computer) || Table[n].HasFlag(Trait.Contact));
    }

    private static void AssertCloudRecord(Entry e, CloudPasswordRecord cloud, PasswordHashSyncSettings settings)
    {
        Assert.NotNull(cloud);
        string wire = cloud.Digest.ToWireString();

        // The digest verifies against the manifest password (the verifier recomputes MD4 from the password).
        Assert.Equal(DigestVerificationStatus.Success, SaltedDigestVerifier.Default.Verify(e.Password!, wire).Status);
        Assert.NotEqual(DigestVerificationStatus.Success, SaltedDigestVerifier.Default.Verify(e.Password! + "x", wire).Status);

        // §1.2, built here: PBKDF2-HMAC-SHA256(UTF-16LE(UPPER hex of the DC's unicodePwd)), 10-byte salt, 1000, 32 bytes.
        Assert.Equal(10, cloud.Digest.Salt.Length);
        Assert.Equal(1000, cloud.Digest.IterationCount);
        byte[] input = Encoding.Unicode.GetBytes(Convert.ToHexString(e.User.NtHash.Span).ToUpperInvariant());
        byte[] dk = Rfc2898DeriveBytes.Pbkdf2(input, cloud.Digest.Salt.ToArray(), 1000, HashAlgorithmName.SHA256, 32);
        Assert.Equal(Convert.ToHexStringLower(dk), Convert.ToHexStringLower(cloud.Digest.Hash.Span));
        Assert.Equal($"v1;PPH1_MD4,{Convert.ToHexStringLower(cloud.Digest.Salt.Span)},1000,{Convert.ToHexStringLower(dk)};", wire);

        // §4.2: with CloudPasswordPolicyForPasswordSyncedUsersEnabled off (default) every sync sets DisablePasswordExpiration.
        Assert.Equal(settings.CloudPasswordPolicyForPasswordSyncedUsersEnabled ? null : "DisablePasswordExpiration", cloud.PasswordPolicies);

        // §3.3: the force-change flag travels only for a temporary password with ForcePasswordChangeOnLogOn on
        // (frank.temp has no DONT_EXPIRE_PASSWORD, so the PHS-2023 exception does not apply).
        Assert.Equal(e.Traits.HasFlag(Trait.TemporaryPassword) && settings.ForcePasswordChangeOnLogOn, cloud.ForceChangePasswordNextSignIn);
    }

    private static void AssertKerberosKeysFromPassword(Entry e, IReadOnlyList<KerberosKey> keys)
    {
        // The salt and iteration counts the DC stored; the AES keys must be the string-to-key of the manifest password
        // with them. Samba's DES keys are not derived from the password (see SambaSupplementalCredentialsTests), so
        // they are compared with the stored bytes only.
        KerberosNewerKeysCredential stored = SupplementalCredentialsBlob.Parse(e.User.SupplementalCredentials.Span).KerberosNewerKeys!;
        byte[] salt = Encoding.UTF8.GetBytes(stored.DefaultSalt);
        Assert.Equal(stored.Credentials.Select(c => c.EncryptionType), keys.Select(k => k.EncryptionType));
        Assert.Contains(keys, k => k.EncryptionType == KerberosEncryptionType.Aes256CtsHmacSha196);
        Assert.Contains(keys, k => k.EncryptionType == KerberosEncryptionType.Aes128CtsHmacSha196);
        for (int i = 0; i < keys.Count; i++)
        {
            KerberosKey key = keys[i];
            Assert.Equal(Convert.ToHexString(salt), Convert.ToHexString(key.Salt.Span));
            if (key.EncryptionType is KerberosEncryptionType.Aes256CtsHmacSha196 or KerberosEncryptionType.Aes128CtsHmacSha196)
            {
                int iterations = (int)stored.Credentials[i].IterationCount;
                Assert.Equal(4096, iterations);
                Assert.Equal(iterations, key.IterationCount);
                using KerberosKey derived = KerberosKeyDerivation.DeriveKey(key.EncryptionType, e.Password!, salt, iterations);
                Assert.Equal(Convert.ToHexString(derived.Key.Span), Convert.ToHexString(key.Key.Span));
            }
            else
            {
                Assert.Equal(Convert.ToHexString(stored.Credentials[i].Key.Span), Convert.ToHexString(key.Key.Span));
            }
        }
    }
}
