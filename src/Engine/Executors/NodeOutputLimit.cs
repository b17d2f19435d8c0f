using System.Text.Json;
using Microsoft.Extensions.Options;
using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Executors;

/// <summary>The largest node output a host publishes or stores, bound from the <c>Nodes</c> section.</summary>
public sealed class NodeOutputOptions
{
    public const string SectionName = "Nodes";

    /// <summary>Largest output of one node (its JSON, in UTF-8 bytes); a larger one fails the node, fatally.</summary>
    public long MaxOutputBytes { get; set; } = 8L * 1024 * 1024;
}

/// <summary>Checks a node's output against <see cref="NodeOutputOptions.MaxOutputBytes"/> without copying it.</summary>
public sealed class NodeOutputLimit(IOptions<NodeOutputOptions> options)
{
    public const string ErrorCode = "node.output-too-large";
    public const string DepthErrorCode = "node.output-too-deep";

    public long MaxBytes => options.Value.MaxOutputBytes;

    /// <summary>Null when <paramref name="output"/> fits; otherwise the fatal error that names the limit.</summary>
    public NodeError? Check(JsonElement output)
    {
        // Deeper data could not be carried by the messages that report and pass it on.
        if (JsonDepth.IsTooDeep(output))
            return new NodeError
            {
                Kind = NodeErrorKind.Fatal,
                Code = DepthErrorCode,
                Message = $"The node's output is nested more than {JsonDepth.MaxDataDepth} levels deep, the most a message can carry.",
            };
        var size = SizeOf(output, MaxBytes);
        return size <= MaxBytes
            ? null
            : new NodeError
            {
                Kind = NodeErrorKind.Fatal,
                Code = ErrorCode,
                Message = $"The node's output is larger than Nodes:MaxOutputBytes ({MaxBytes} bytes).",
            };
    }

    // Counts the bytes the serializer writes, stopping soon after the limit is passed.
    private static long SizeOf(JsonElement output, long limit)
    {
        using var counter = new CountingStream(limit);
        using (var writer = new Utf8JsonWriter(counter))
        {
            try
            {
                output.WriteTo(writer);
                writer.Flush();
            }
            catch (LimitPassedException)
            {
                return counter.Length;
            }
        }
        return counter.Length;
    }

    private sealed class LimitPassedException : Exception;

    private sealed class CountingStream(long limit) : Stream
    {
        private long _length;

        public override long Length => _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            if (_length > limit)
                throw new LimitPassedException();
        }

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
