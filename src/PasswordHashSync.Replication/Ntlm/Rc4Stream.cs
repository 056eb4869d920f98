using System.Security.Cryptography;

namespace PasswordHashSync.Replication.Ntlm;

/// <summary>
/// One running RC4 key stream, the "handle" of MS-NLMP 3.4 (RC4Init once, then RC4 continues across messages). The
/// core's <c>Rc4</c> is one-shot (a fresh key schedule per call), which NTLM sealing must not do: each direction's
/// handle keeps its state across PDUs, fragments and calls. The state is zeroed on <see cref="Dispose"/>.
/// </summary>
internal sealed class Rc4Stream : IDisposable
{
    private readonly byte[] _state = new byte[256];
    private int _i;
    private int _j;
    private bool _disposed;

    /// <summary>Runs the RC4 key schedule.</summary>
    /// <param name="key">1 to 256 bytes.</param>
    public Rc4Stream(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty || key.Length > 256)
        {
            throw new ArgumentException("An RC4 key is 1 to 256 bytes.", nameof(key));
        }

        for (int n = 0; n < 256; n++)
        {
            _state[n] = (byte)n;
        }

        int j = 0;
        for (int n = 0; n < 256; n++)
        {
            j = (j + _state[n] + key[n % key.Length]) & 0xFF;
            (_state[n], _state[j]) = (_state[j], _state[n]);
        }
    }

    /// <summary>XORs <paramref name="data"/> in place with the next bytes of the key stream.</summary>
    /// <param name="data">The bytes to encrypt or decrypt.</param>
    public void Transform(Span<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] s = _state;
        int i = _i;
        int j = _j;
        for (int n = 0; n < data.Length; n++)
        {
            i = (i + 1) & 0xFF;
            j = (j + s[i]) & 0xFF;
            (s[i], s[j]) = (s[j], s[i]);
            data[n] ^= s[(s[i] + s[j]) & 0xFF];
        }

        _i = i;
        _j = j;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_state);
        _i = 0;
        _j = 0;
        _disposed = true;
    }
}
