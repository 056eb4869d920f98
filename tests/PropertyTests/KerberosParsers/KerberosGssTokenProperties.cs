using System.Buffers.Binary;
using FsCheck.Xunit;
using PasswordHashSync.Replication.Kerberos;
using PasswordHashSync.Replication.Kerberos.Asn1;
using PasswordHashSync.Replication.Kerberos.Crypto;
using PasswordHashSync.Replication.Kerberos.Gss;
using PasswordHashSync.Replication.Kerberos.Kdc;
using PasswordHashSync.Replication.Rpc;

namespace PasswordHashSync.PropertyTests.KerberosParsers;

/// <summary>
/// Rule: the GSS-API side lets only its documented exceptions escape whatever the server sends: RFC 4121 wrap tokens
/// (<see cref="CfxWrapToken.Unseal"/>: <see cref="RpcSecurityException"/>) and the server's token in the bind_ack
/// (<see cref="KerberosSecurityContext.ProcessServerToken"/>: <see cref="RpcAuthenticationException"/>, which
/// <see cref="KerberosException"/> is). Inputs: random bytes and mutations of MIT's own wrap tokens, AP-REP and
/// KRB-ERRORs, with the keys that make the unmutated ones verify. 100 seeds × <see cref="KerberosFuzz.InputsPerSeed"/>.
/// </summary>
public class KerberosGssTokenProperties
{
    private static MitKerberosVectors V => MitKerberosVectors.Instance;

    [Property(MaxTest = 100)]
    public void Wrap_tokens_throw_only_RpcSecurityException(int seed)
    {
        var random = new Random(seed);
        KerberosCipher cipher = MitKerberosVectors.Cipher(V.AcceptorSubkeyType);
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            bool fromAcceptor = random.Next(2) == 0;
            (byte[] token, byte[] plaintext) = (fromAcceptor ? V.AcceptorWraps : V.InitiatorWraps)[random.Next(V.AcceptorWraps.Length)];
            byte[] input = random.Next(8) == 0 ? KerberosFuzz.RandomBytes(random) : KerberosFuzz.Mutate(token, random);

            // Split where the PDU would: the original stub length most of the time, anywhere otherwise.
            int dataLength = random.Next(4) == 0 ? random.Next(input.Length + 1) : Math.Min(plaintext.Length, input.Length);
            byte[] data = input.AsSpan(input.Length - dataLength).ToArray();
            byte[] authValue = input.AsSpan(0, input.Length - dataLength).ToArray();
            ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(token.AsSpan(8));
            int usage = fromAcceptor ? KerberosKeyUsage.AcceptorSeal : KerberosKeyUsage.InitiatorSeal;
            byte required = fromAcceptor ? (byte)(CfxWrapToken.SentByAcceptor | CfxWrapToken.Sealed) : CfxWrapToken.Sealed;
            KerberosFuzz.Only<RpcSecurityException>(input.Length, () => CfxWrapToken.Unseal(cipher, V.AcceptorSubkey, usage, required, sequence, data, authValue));
        }
    }

    [Property(MaxTest = 100)]
    public void Server_tokens_in_the_bind_ack_throw_only_RpcAuthenticationException(int seed)
    {
        var random = new Random(seed);
        byte[][] samples = [V.ApReply, V.ApReplyToken, .. V.KrbErrors];
        KerberosTicket ticket = KdcReply.Parse(V.AsReplies[0], KdcReply.AsReply).Ticket;
        for (int i = 0; i < KerberosFuzz.InputsPerSeed; i++)
        {
            byte[] input = KerberosFuzz.Next(random, samples);
            var grant = new KerberosTicketGrant("PHS.TEST", KerberosPrincipalName.User("alice"), ticket, new EncryptionKey(V.TicketSessionKeyType, V.TicketSessionKey), DateTimeOffset.UtcNow.AddHours(1));
            using var context = new KerberosSecurityContext(grant, allowRc4: false);
            _ = context.GetInitialToken();
            KerberosFuzz.Only<RpcAuthenticationException>(input.Length, () => _ = context.ProcessServerToken(input));
        }
    }
}
