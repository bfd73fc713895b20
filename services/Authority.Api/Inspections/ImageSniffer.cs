namespace Traceability.Authority.Api.Inspections;

/// <summary>
/// The content type of a photo from its first bytes, not from what the client claims: only JPEG
/// and PNG are kept as evidence (anything else could be a script or a document in disguise).
/// </summary>
public static class ImageSniffer
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static string? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return "image/jpeg";
        if (data.StartsWith(Png)) return "image/png";
        return null;
    }
}
