using PasswordHashSync.Replication.Drsr;
using PasswordHashSync.Replication.Drsr.Ndr;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.IntegrationTests.Replication;

/// <summary>
/// One IDL_DRSCrackNames call with hundreds of copies of one name, marshalled by the library's
/// <see cref="CrackNamesCall"/> but sent straight through <see cref="IRpcChannel.CallAsync"/>: the request spans several
/// fragments and the DC's reply (one DN per name) many more, so a test sees the RPC layer fragment, seal, unseal and
/// reassemble in both directions, with the sizes at hand to prove it did.
/// </summary>
internal static class ManyNamesCrackProbe
{
    /// <summary>Cracks <paramref name="count"/> copies of <paramref name="nt4Name"/> (DOMAIN\user) to DNs.</summary>
    /// <param name="connection">A connection bound to DRSUAPI.</param>
    /// <param name="handle">The DRS handle from <see cref="DrsuapiClient.BindAsync"/>.</param>
    /// <param name="nt4Name">The name.</param>
    /// <param name="count">How many copies to send.</param>
    /// <returns>The request and reply stub lengths, the results and the WERROR.</returns>
    public static async Task<(int RequestLength, int ReplyLength, CrackedName[] Results, int Result)> CrackAsync(
        IRpcChannel connection, DrsHandle handle, string nt4Name, int count)
    {
        using var writer = new NdrWriter();
        CrackNamesCall.WriteRequest(writer, handle, DsNameFormat.Nt4Account, DsNameFormat.Fqdn1779, Enumerable.Repeat(nt4Name, count).ToArray());
        using RpcResponseStub reply = await connection.CallAsync(CrackNamesCall.Opnum, writer.WrittenMemory, default);
        (CrackedName[] results, int result) = CrackNamesCall.ReadResponse(reply.Memory);
        return (writer.Length, reply.Memory.Length, results, result);
    }
}
