using System.Xml.Schema;

namespace Traceability.Domain.Epcis;

public static partial class EpcisXml
{
    private static XmlSchemaSet LoadSchemas()
    {
        var set = new XmlSchemaSet { XmlResolver = new EmbeddedXsdResolver() };
        foreach (var file in (string[])["EPCglobal-epcis-2_0.xsd", "EPCglobal-epcis-query-2_0.xsd", "EPCglobal-epcis-masterdata-2_0.xsd"])
        {
            using var stream = EmbeddedXsdResolver.Open(file);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null },
                EmbeddedXsdResolver.BaseUri + file);
            set.Add(null, reader);
        }
        set.Compile();
        return set;
    }

    /// <summary>Resolves the XSDs' imports and includes to the embedded copies, and nothing else.</summary>
    private sealed class EmbeddedXsdResolver : XmlResolver
    {
        public const string BaseUri = "embedded:///xsd/";

        public static Stream Open(string file) =>
            typeof(EpcisXml).Assembly.GetManifestResourceStream("Traceability.Domain.Epcis.Xsd." + file)
            ?? throw new FileNotFoundException("Embedded XSD not found.", file);

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn) =>
            Open(Path.GetFileName(absoluteUri.AbsolutePath));

        public override Uri ResolveUri(Uri? baseUri, string? relativeUri) =>
            new(BaseUri + Path.GetFileName(relativeUri ?? ""));
    }

    /// <summary>A read-only stream over a byte buffer (no copy).</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> bytes) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, bytes.Length - _position);
            bytes.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
