using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Digests;

namespace PasswordHashSync.UnitTests.Cli;

/// <summary>
/// The batch unescapes a JSON password into its own array (no string): every JSON escape must give the code units a
/// JSON string parser gives. Checked against BouncyCastle's MD4 over the UTF-16LE of the expected text.
/// </summary>
public class CliBatchPasswordEscapeTests
{
    [Theory]
    [InlineData("""Pa\u0024\u0024w0rd""", "Pa$$w0rd")]
    [InlineData("""q\"u\\o\/te""", "q\"u\\o/te")]
    [InlineData("""\b\f\n\r\t""", "\b\f\n\r\t")]
    [InlineData("""caf\u00e9 \ud83d\ude00""", "caf\u00e9 \U0001F600")]
    [InlineData("""unescaped é😀""", "unescaped \u00e9\U0001F600")]
    [InlineData("", "")]
    public void An_escaped_password_hashes_as_its_unescaped_text(string jsonText, string password)
    {
        byte[] utf16 = Encoding.Unicode.GetBytes(password);
        var md4 = new MD4Digest();
        md4.BlockUpdate(utf16, 0, utf16.Length);
        byte[] expected = new byte[16];
        md4.DoFinal(expected, 0);

        CliRunner.Outcome result = CliRunner.Run($$"""{"id":1,"op":"nthash","password":"{{jsonText}}"}""" + "\n", "batch");
        Assert.Equal(0, result.ExitCode);
        using JsonDocument response = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(Convert.ToHexStringLower(expected), response.RootElement.GetProperty("ntHash").GetString());
    }
}
