using System.Buffers.Binary;
using System.IO.Compression;

namespace Traceability.ProducerConsole.Import;

/// <summary>
/// Checks an XLSX (a zip) before MiniExcel opens it, so that a few megabytes cannot unzip to
/// gigabytes: the number of parts from the end-of-central-directory record (before the archive
/// lists them), then each part's declared size and ratio, and last the sizes the parts really
/// unzip to, counted while reading them through (the declared sizes are the sender's word).
/// MiniExcel then reads the same bytes, which are known to stay within the limits.
/// </summary>
internal static class XlsxGuard
{
    /// <summary>An XLSX has a dozen parts; a zip listing thousands costs memory before any is read.</summary>
    private const int MaxParts = 1_000;
    private const long RatioCheckedFrom = 1024 * 1024;

    /// <summary>Null when the file is within the limits, else the reason: "too-many-parts", "too-large-unzipped".</summary>
    public static string? Check(byte[] file, ImportOptions limits)
    {
        // No record: not a zip MiniExcel can open either; it reports the file unreadable.
        if (PartCount(file) is not { } parts) return null;
        if (parts > MaxParts) return "too-many-parts";
        using var archive = new ZipArchive(new MemoryStream(file, writable: false), ZipArchiveMode.Read);
        if (archive.Entries.Count > MaxParts) return "too-many-parts";
        long declared = 0;
        foreach (var entry in archive.Entries)
        {
            declared += entry.Length;
            if (declared > limits.MaxUnzippedBytes) return "too-large-unzipped";
            if (entry.Length > RatioCheckedFrom && entry.Length / Math.Max(1, entry.CompressedLength) > limits.MaxCompressionRatio)
                return "too-large-unzipped";
        }
        var buffer = new byte[81920];
        long unzipped = 0;
        foreach (var entry in archive.Entries)
        {
            using var part = entry.Open();
            int read;
            while ((read = part.Read(buffer)) > 0)
            {
                unzipped += read;
                if (unzipped > limits.MaxUnzippedBytes) return "too-large-unzipped";
            }
        }
        return null;
    }

    /// <summary>The part count the end-of-central-directory record declares, or null when there is none to read (a broken zip).</summary>
    private static int? PartCount(byte[] file)
    {
        // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
        for (var at = file.Length - 22; at >= Math.Max(0, file.Length - 22 - ushort.MaxValue); at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) == 0x06054b50)
                return BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 10));
        }
        return null;
    }
}
