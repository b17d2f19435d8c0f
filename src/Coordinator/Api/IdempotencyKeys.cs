using System.Security.Cryptography;
using System.Text;

namespace Workflow.Messaging.Coordinator.Api;

/// <summary>
/// Execution ids from <c>Idempotency-Key</c> headers: a name-based UUID (RFC 9562 version 5), so
/// the same key always names the same execution, on every coordinator instance, with no table.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    /// <summary>The namespace of our keys; fixed forever, since changing it renames every execution.</summary>
    private static readonly Guid Namespace = new("6f1c1f7e-3b2a-4f55-9a43-0d7c3c5b8e21");

    public static Guid ExecutionId(string key)
    {
        Span<byte> name = stackalloc byte[16];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        var input = new byte[16 + Encoding.UTF8.GetByteCount(key)];
        name.CopyTo(input);
        Encoding.UTF8.GetBytes(key, input.AsSpan(16));
#pragma warning disable CA5350 // SHA-1 is what version 5 UUIDs are defined with; nothing here relies on its strength.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
