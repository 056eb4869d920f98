using PasswordHashSync.SupplementalCredentials;

namespace PasswordHashSync.UnitTests.SupplementalCredentials;

/// <summary>
/// WDigest against the DSInternals WDigestHashTester vectors (DSInternals @894f5ed Src/DSInternals.Common.Test/Cryptography/WDigestHashTester.cs), copied verbatim.
/// </summary>
public class WDigestCredentialsTests
{
    private static readonly string[] s_asciiExpected =
    [
        "3f602ffdac6b06655481a06cce08adf3",
        "971256a81b883974fcbcf369f67ecf61",
        "ec3d57e1caf31b9cd0fc1e3bf913bbf6",
        "3f602ffdac6b06655481a06cce08adf3",
        "30c8584ec6a52de03fead6e66443b896",
        "da9aab75d2ad8152daedc92aea4e49ac",
        "eb781ca6bf2d4f3a30bc8f8ba360b1a0",
        "b70f192a3ee11e47bc1408e18835210e",
        "afebaf56c0b704ab12276306c3524d9f",
        "a4d5b0be4785b495b4b53e70c35d4990",
        "1167280ac9a9bc1ec1b49d171a8e9b62",
        "e17ff031d74e32e67ec1f1b6e0b2c26b",
        "379c029a72f4d0e649e7aa6ad659dbe0",
        "f7fcfe4c5ec50f9db38577cea6b99f28",
        "ffde532cbd677b5562ce4455099cdafd",
        "478561ada3cecab0094ea704b90b1c84",
        "51ca360a2a2d35b184a0c78fd0432137",
        "f7841c8b57a9a65875ee40a39ba270cb",
        "3b8dc2b699160e41ce1c8f1cdacd0c2c",
        "132d33c113262bd560b40c39d1cac291",
        "8b8c4f339d3736ede2c4c0bc4e53f3ff",
        "209ae3b1dc6789f90f352e2ff273111b",
        "9b22dae245b82c3e55061265b288607c",
        "bb1edeb4c9b818d829800192a1528a88",
        "f78b1d41fe8372506e31461625743eb4",
        "dd829e0cda63ba68f95f98b1750885f6",
        "177eeed7b3cf4df4e114c4ca91beafcd",
        "9c0d49ddf1ac7cff9d1e6f96cc8a55d5",
        "8da34a0b94604b06cd58f9bf69142383",
    ];

    private static readonly string[] s_unicodeExpected =
    [
        "fad613ac9301e7ae6dcc537e2eef5021",
        "f3b76b7db452d6be096942f9bcce74ea",
        "919952d85318a3d5b67e9df5a78b7141",
        "fad613ac9301e7ae6dcc537e2eef5021",
        "35dd0ca1e7631567f2ae132e038ccd8f",
        "f6d89b7867a2d3d1cbae038091bdb0cc",
        "0bfedf219f856e2edcfec5231470c0b3",
        "df33d4e6eb9af1406b25e0e16548a2da",
        "5e2d43bdbb743c5d2601baafdd32a1af",
        "5277f1cf72b11b2ff48721cf9d431893",
        "9681f457b0767ed163b8dc8526469af6",
        "3e9ce47f72f7e39661199f18ee8bc2aa",
        "404243dbcec9a1d73d0b1cb49060c196",
        "29d93dc099bd1b5c9f20bbeb042bb4ff",
        "0ecdf90500b3189dc3082dd1bce0b5bc",
        "4a4135a2ac1daa81fea605adc9188c67",
        "0a1f7bd410a8340342045daf0cc78789",
        "be97dc768a7683e839438b29e30b6f7b",
        "7d6a36f69323172b25ef61a761f29d1b",
        "ed2d15fcde27c04892014aaf46201ec8",
        "51f43cb00d57226f530d52908a072c43",
        "35329ba52771477b8665ef47b89bebbf",
        "7515013a7da75b573467e521abb783e1",
        "9bab42c45f29cda4f4dadad0a14cc8b6",
        "26075b3e4791600800363160d217265b",
        "bbba87b75b45d71cf7fd84d4e2a22344",
        "18ca7497b2624e7fde7165854788dd49",
        "0d9a52cbff395f8df9e285b01c2a78fb",
        "c4280744f0ff1181b939b71b1ddc37f5",
    ];

    private const string LdsBlob =
        "3100011d000000000000000000000000af4156909297baece4e553b731d9d552da58c12e5880cad54a3f909c07b0792eec9d262783c811ad9cc7aeb1" +
        "ab019fe0af4156909297baece4e553b731d9d552af4156909297baece4e553b731d9d552ec9d262783c811ad9cc7aeb1ab019fe0da58c12e5880cad5" +
        "4a3f909c07b0792e95e11e920c7405ca6639d932888cc11c53d9e953141b322f29eb1a02798c299042eea90067734b2a81abbc79618cc1519d9aac28" +
        "e63107a495266e755f7a2babac6b5dfb3bfa3b7039058310d5b36ccc7c97824dd59b9a6a053b5fae3d8603f20a5e2bc3111c759efb3a91e3740633e8" +
        "3b12daad09e83cb92477ac59993c5a843b12daad09e83cb92477ac59993c5a843b12daad09e83cb92477ac59993c5a8471e7228faba51df979beef06" +
        "b34f791820aa1475f40540f0db59f9d2d93fc3da5f88f6d82d185741a82c7fa79e801c6d8eae592a0ce55271a17de0b39cf1e5e9923354fb99887724" +
        "cf2b10e88108776b427804b8a6d6ed92c11ecb94e40da72c0c997bc1906b1f0092d61bd0efee428b0c997bc1906b1f0092d61bd0efee428b0c997bc1" +
        "906b1f0092d61bd0efee428bd93e9a9a7452dff036a67a5d5d333d7c4effe21b0afc142382943ef26024649aaa6a6a95c237f2b8efa2f13ecb0cb220";

    [Fact]
    public void Compute_ascii_vector_without_upn()
    {
        WDigestCredentials wdigest = WDigestCredentials.Compute("Pa$$w0rd", "Administrator", "ADATUM", "Adatum.com");
        Assert.Equal(s_asciiExpected, wdigest.Hashes.Select(h => Convert.ToHexStringLower(h.Span)));
    }

    [Fact]
    public void Compute_unicode_vector_with_upn()
    {
        WDigestCredentials wdigest = WDigestCredentials.Compute(
            "Příliš žluťoučký kůň úpěl ďábelské ódy. В чащах юга жил бы цитрус? Да, но фальшивый экземпляр!",
            "April", "ADATUM", "Adatum.com", "April@adatum.com");
        Assert.Equal(s_unicodeExpected, wdigest.Hashes.Select(h => Convert.ToHexStringLower(h.Span)));
    }

    [Fact]
    public void Compute_ad_lds_form_matches_the_blob_taken_from_ad_lds()
    {
        // AD LDS: UPN "", sAMAccountName = the user DN, NetBIOS "", DNS = the naming context.
        WDigestCredentials wdigest = WDigestCredentials.Compute("Pa$$w0rd", "CN=john,DC=dsinternals,DC=com", string.Empty, "DC=dsinternals,DC=com", string.Empty);
        Assert.Equal(LdsBlob, Convert.ToHexStringLower(wdigest.ToByteArray()));
    }

    [Fact]
    public void Parse_then_write_is_identity_on_the_published_blob()
    {
        byte[] blob = Convert.FromHexString(LdsBlob);
        WDigestCredentials parsed = WDigestCredentials.Parse(blob);
        Assert.Equal(29, parsed.Hashes.Count);
        Assert.Equal((byte)0x31, parsed.Reserved1);
        Assert.Equal(1, parsed.Version);
        Assert.Equal(blob, parsed.ToByteArray());
    }

    [Fact]
    public void Rule_hash_count_beyond_the_data_is_rejected()
    {
        byte[] blob = Convert.FromHexString(LdsBlob);
        Assert.Throws<SupplementalCredentialsFormatException>(() => WDigestCredentials.Parse(blob.AsSpan(0, blob.Length - 1)));
    }

    [Fact]
    public void Rule_sam_account_name_is_required() =>
        Assert.Throws<ArgumentException>(() => WDigestCredentials.Compute("x", string.Empty, "A", "a.com"));
}
