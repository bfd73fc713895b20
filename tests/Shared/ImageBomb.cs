using System.Buffers.Binary;
using System.IO.Compression;

namespace Traceability.Testing;

/// <summary>
/// A valid PNG that is small on the wire and huge once decoded (issue 16): 1-bit grey, every pixel
/// white, so the pixel data deflates ≈ 1000:1 (30,000 × 30,000 ≈ 110 KB, 900 Mpx). A decoder
/// that trusts the header allocates the whole canvas. Linked into the projects that send one.
/// </summary>
public static class ImageBomb
{
    public static byte[] Png(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth 1, colour type 0 (grey), deflate, adaptive filters, no interlace
        Chunk(png, "IHDR", header);

        var row = new byte[1 + (width + 7) / 8]; // filter byte "none", then the packed pixels
        Array.Fill(row, (byte)0xFF, 1, row.Length - 1);
        using var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.SmallestSize, leaveOpen: true))
            for (var y = 0; y < height; y++) zlib.Write(row);
        Chunk(png, "IDAT", data.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] body)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, body.Length);
        png.Write(length);
        var typed = new byte[4 + body.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        body.CopyTo(typed, 4);
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, the one zlib and gzip use).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
