using System.ComponentModel.DataAnnotations;

namespace Traceability.ProducerConsole.Import;

/// <summary>
/// Limits of the console's spreadsheet import, bound from "Import" and validated at start. The
/// upload itself is capped at <see cref="ImportPages.MaxFileBytes"/>; these bound what a small
/// file can expand to (an XLSX is a zip, and a CSV of empty lines is millions of rows).
/// </summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Rows read (blank ones included) after which the file is refused without reading on.</summary>
    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 200_000;

    /// <summary>
    /// Bytes all the parts of an XLSX may unzip to together. 200,000 rows of the ten columns take
    /// ≈ 100 MB of sheet XML; a bigger workbook is refused before MiniExcel reads it.
    /// </summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxUnzippedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest unzipped/zipped ratio of an XLSX part over 1 MB (a spreadsheet's XML zips 10–50×; a bomb 1000×).</summary>
    [Range(2, 1032)]
    public int MaxCompressionRatio { get; set; } = 200;
}
