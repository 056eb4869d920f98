using Microsoft.Extensions.DependencyInjection;
using PasswordHashSync.Kerberos;

namespace PasswordHashSync.UnitTests.DependencyInjection;

/// <summary>
/// Rule: AddPasswordHashSync validates the options once, at registration, and a bad setting is an
/// ArgumentException (or ArgumentOutOfRangeException) whose ParamName is the option's name.
/// </summary>
public sealed class DependencyInjectionValidationTests
{
    public static TheoryData<string, Action<PasswordHashSyncOptions>> OutOfRangeSettings() => new()
    {
        { nameof(PasswordHashSyncOptions.DigestIterationCount), o => o.DigestIterationCount = 0 },
        { nameof(PasswordHashSyncOptions.DigestIterationCount), o => o.DigestIterationCount = -1 },
        { nameof(PasswordHashSyncOptions.DigestIterationCount), o => o.DigestIterationCount = int.MinValue },
        { nameof(PasswordHashSyncOptions.MaxDigestIterationCount), o => o.MaxDigestIterationCount = 999 },
        { nameof(PasswordHashSyncOptions.MaxDigestIterationCount), o => { o.DigestIterationCount = 5000; o.MaxDigestIterationCount = 4999; } },
        { nameof(PasswordHashSyncOptions.KerberosIterationCount), o => o.KerberosIterationCount = 0 },
        { nameof(PasswordHashSyncOptions.KerberosIterationCount), o => o.KerberosIterationCount = -4096 },
        { nameof(PasswordHashSyncOptions.LmOemCodePage), o => { o.EnableLmHash = true; o.LmOemCodePage = 0; } },
        { nameof(PasswordHashSyncOptions.LmOemCodePage), o => { o.EnableLmHash = true; o.LmOemCodePage = -437; } },
        { nameof(PasswordHashSyncOptions.LmOemCodePage), o => { o.EnableLmHash = true; o.LmOemCodePage = 70000; } },
        { nameof(PasswordHashSyncOptions.LmOemCodePage), o => { o.EnableLmHash = true; o.LmOemCodePage = 12345; } },
    };

    public static TheoryData<string, Action<PasswordHashSyncOptions>> InvalidKerberosLists() => new()
    {
        { "empty", o => o.KerberosEncryptionTypes.Clear() },
        { "duplicate", o => o.KerberosEncryptionTypes.Add(KerberosEncryptionType.Aes256CtsHmacSha196) },
        { "unsupported 999", o => o.KerberosEncryptionTypes.Add((KerberosEncryptionType)999) },
        { "unsupported 0", o => { o.KerberosEncryptionTypes.Clear(); o.KerberosEncryptionTypes.Add(0); } },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeSettings))]
    public void Registration_rejects_an_out_of_range_setting_naming_the_option(string option, Action<PasswordHashSyncOptions> configure)
    {
        var services = new ServiceCollection();

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddPasswordHashSync(configure));

        Assert.Equal(option, error.ParamName);
        Assert.Empty(services);
    }

    [Theory]
    [MemberData(nameof(InvalidKerberosLists))]
    public void Registration_rejects_an_invalid_Kerberos_type_list_naming_the_option(string rule, Action<PasswordHashSyncOptions> configure)
    {
        var services = new ServiceCollection();

        ArgumentException error = Assert.Throws<ArgumentException>(() => services.AddPasswordHashSync(configure));

        Assert.True(error.ParamName == nameof(PasswordHashSyncOptions.KerberosEncryptionTypes), $"{rule}: ParamName was {error.ParamName}");
        Assert.Empty(services);
    }

    [Fact]
    public void Duplicate_Kerberos_type_message_names_the_type()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddPasswordHashSync(
            o => o.KerberosEncryptionTypes.Add(KerberosEncryptionType.Aes128CtsHmacSha196)));
        Assert.Contains("aes128-cts-hmac-sha1-96", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Code_page_is_not_checked_while_LM_is_disabled()
    {
        var services = new ServiceCollection();

        services.AddPasswordHashSync(o => o.LmOemCodePage = 12345);

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<ICredentialDeriver>());
    }

    [Theory]
    [InlineData(437)]
    [InlineData(850)]
    [InlineData(866)]
    public void Available_OEM_code_pages_are_accepted_when_LM_is_enabled(int codePage)
    {
        var services = new ServiceCollection();
        services.AddPasswordHashSync(o => { o.EnableLmHash = true; o.LmOemCodePage = codePage; });
        Assert.Equal(codePage, services.BuildServiceProvider().GetRequiredService<PasswordHashSyncOptions>().LmOemCodePage);
    }

    [Fact]
    public void Configure_callback_runs_exactly_once_at_registration_not_at_resolution()
    {
        int calls = 0;
        var services = new ServiceCollection();

        services.AddPasswordHashSync(_ => calls++);
        Assert.Equal(1, calls);

        using ServiceProvider provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<ICredentialDeriver>();
        _ = provider.GetRequiredService<Digest.ISaltedDigestVerifier>();
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Changing_the_configured_object_after_registration_has_no_effect()
    {
        PasswordHashSyncOptions? captured = null;
        var services = new ServiceCollection();
        services.AddPasswordHashSync(o => { o.DigestIterationCount = 2000; captured = o; });

        captured!.DigestIterationCount = 0;
        captured.KerberosEncryptionTypes.Clear();

        using ServiceProvider provider = services.BuildServiceProvider();
        PasswordHashSyncOptions registered = provider.GetRequiredService<PasswordHashSyncOptions>();
        Assert.Equal(2000, registered.DigestIterationCount);
        Assert.Equal(KerberosEncryptionTypes.ActiveDirectoryDefaults, registered.KerberosEncryptionTypes);
        Assert.Equal(2000, provider.GetRequiredService<ICredentialDeriver>().ComputeSaltedDigest("x").IterationCount);
    }

    [Fact]
    public void Registered_options_are_frozen()
    {
        using ServiceProvider provider = new ServiceCollection().AddPasswordHashSync().BuildServiceProvider();
        PasswordHashSyncOptions registered = provider.GetRequiredService<PasswordHashSyncOptions>();

        Assert.Throws<InvalidOperationException>(() => registered.DigestIterationCount = 1);
        Assert.Throws<InvalidOperationException>(() => registered.MaxDigestIterationCount = 1);
        Assert.Throws<InvalidOperationException>(() => registered.KerberosIterationCount = 1);
        Assert.Throws<InvalidOperationException>(() => registered.EnableLmHash = true);
        Assert.Throws<InvalidOperationException>(() => registered.LmOemCodePage = 850);
        Assert.Throws<InvalidOperationException>(() => registered.KerberosEncryptionTypes.Add(KerberosEncryptionType.Rc4Hmac));
        Assert.Throws<InvalidOperationException>(() => registered.KerberosEncryptionTypes.Clear());
        Assert.Throws<InvalidOperationException>(() => registered.KerberosEncryptionTypes.RemoveAt(0));
        Assert.Throws<InvalidOperationException>(() => registered.KerberosEncryptionTypes[0] = KerberosEncryptionType.Rc4Hmac);
        Assert.Equal(Digest.SaltedDigest.DefaultIterationCount, registered.DigestIterationCount);
    }

    [Fact]
    public void CredentialDeriver_copies_its_options_so_later_changes_do_not_bypass_validation()
    {
        var options = new PasswordHashSyncOptions { DigestIterationCount = 1500 };
        var deriver = new CredentialDeriver(options);

        options.DigestIterationCount = -1;

        Assert.Equal(1500, deriver.ComputeSaltedDigest("x").IterationCount);
    }

    [Fact]
    public void CredentialDeriver_rejects_invalid_options_naming_the_option()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new CredentialDeriver(new PasswordHashSyncOptions { MaxDigestIterationCount = 10 }));
        Assert.Equal(nameof(PasswordHashSyncOptions.MaxDigestIterationCount), error.ParamName);
    }
}
