using System.IO.Compression;

namespace Traceability.ProducerConsole.Tests;

/// <summary>
/// Files that are small to upload but expand to millions of rows, imported into the real host run
/// as a child process, whose peak resident memory (VmHWM, reset before each upload) is read from
/// /proc. Each must be refused with a Vietnamese reason while the host stays within 200 MB of its
/// idle size; the figures printed here go in tests/Traceability.Benchmarks/README.md.
/// </summary>
public sealed class ImportBombTests(ITestOutputHelper output) : IDisposable
{
    private const long Headroom = 200L * 1024 * 1024;
    private const string Header = "gtin,lot,bizStep,eventTime,location,quantity,uom,inputGtin,inputLot,note";
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "trace-bomb-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_csv_of_5_million_rows_and_xlsx_files_that_unzip_to_millions_of_rows_are_refused_with_flat_memory()
    {
        Assert.SkipUnless(File.Exists("/proc/self/clear_refs"), "needs Linux /proc to read the host's peak memory");
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var host = await StandaloneProcess.StartAsync(dataDirectory, StandaloneApp.AdminKey, errorLine: errors.Enqueue);
        var browser = await SignInAsync(host);

        // 21 MB: 5.25 million rows of two cells (the finding's CSV).
        var csv = Encoding.UTF8.GetBytes("gtin,lot\n" + string.Concat(Enumerable.Repeat("1,2\n", 5_250_000)));
        // A few MB that unzip to 24 million rows (≈ 620 MB of sheet XML): refused before MiniExcel reads it.
        var xlsxBomb = Xlsx(24_000_000, numbered: false);
        // The same bomb declaring 1 KB for its sheet: only counting while unzipping catches it.
        var lying = DeclareSheetSize(Xlsx(24_000_000, numbered: false), 1024);
        // Under the unzip limit but over the row limit (numbered rows zip like a real sheet): refused at row 200,001.
        var xlsxRows = Xlsx(260_000, numbered: true);
        output.WriteLine($"csv {csv.Length / 1e6:F1} MB, xlsx bomb {xlsxBomb.Length / 1e6:F1} MB, xlsx rows {xlsxRows.Length / 1e6:F1} MB");

        // Warm up: the same path once with a valid small file, so JIT and pools are part of the idle size.
        await UploadAsync(browser, Encoding.UTF8.GetBytes(Header + "\n"), "warm.csv");
        await Task.Delay(500);
        var idle = Status(host, "VmRSS");

        foreach (var (name, file, reason) in new[]
        {
            ("bomb.csv", csv, "Tệp có hơn 200.000 dòng"),
            ("bomb.xlsx", xlsxBomb, "khi giải nén vượt quá 256 MB"),
            // .NET stops unzipping a part at its declared size, so MiniExcel sees cut-off XML; either refusal is right.
            ("lying.xlsx", lying, "khi giải nén vượt quá 256 MB|Không đọc được tệp"),
            ("rows.xlsx", xlsxRows, "Tệp có hơn 200.000 dòng"),
        })
        {
            File.WriteAllText($"/proc/{host.ProcessId}/clear_refs", "5"); // resets VmHWM to the current RSS
            var started = DateTime.UtcNow;
            var response = await UploadAsync(browser, file, name);
            var elapsed = DateTime.UtcNow - started;
            var peak = Status(host, "VmHWM");
            output.WriteLine($"{name}: {(int)response.StatusCode} in {elapsed.TotalSeconds:F1} s, idle RSS {idle / 1048576} MB, peak RSS {peak / 1048576} MB (+{(peak - idle) / 1048576} MB)");

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}; the host said: {string.Join('\n', errors.TakeLast(20))}");
            var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Replace(',', '.');
            Assert.True(reason.Split('|').Any(page.Contains), $"{name}: the page does not say '{reason}'");
            Assert.True(peak - idle < Headroom, $"{name}: the host grew by {(peak - idle) / 1048576} MB (limit 200 MB)");
        }
    }

    private static async Task<Browser> SignInAsync(StandaloneProcess host)
    {
        var admin = host.Client(StandaloneApp.AdminKey);
        var created = await admin.PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX bom", taxCode = "5000888888", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "8938888" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        var browser = new Browser(new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/signin", "/console/signin", new() { ["key"] = key })).StatusCode);
        return browser;
    }

    private static Task<HttpResponseMessage> UploadAsync(Browser browser, byte[] file, string name) =>
        browser.SubmitFormAsync("/console/import", "/console/import", token =>
            new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(file), "file", name } });

    /// <summary>A field of /proc/{pid}/status in bytes (VmRSS: resident now, VmHWM: peak since the last reset).</summary>
    private static long Status(StandaloneProcess host, string field)
    {
        var line = File.ReadLines($"/proc/{host.ProcessId}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>A minimal XLSX whose one sheet has the import's header and <paramref name="rows"/> rows of one cell.</summary>
    internal static byte[] Xlsx(int rows, bool numbered)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string path, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }
            Part("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Part("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Part("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="SuKien" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Part("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Optimal);
            using var writer = new StreamWriter(sheet.Open(), new UTF8Encoding(false), 1 << 16);
            writer.Write("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">""");
            var column = 'A';
            foreach (var name in Header.Split(',')) writer.Write($"""<c r="{column++}1" t="inlineStr"><is><t>{name}</t></is></c>""");
            writer.Write("</row>");
            for (var r = 2; r < rows + 2; r++)
                writer.Write(numbered ? $"""<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>""" : "<row><c><v>1</v></c></row>");
            writer.Write("</sheetData></worksheet>");
        }
        return buffer.ToArray();
    }

    /// <summary>Rewrites the sheet's uncompressed size in its local header and its central directory entry.</summary>
    private static byte[] DeclareSheetSize(byte[] zip, uint size)
    {
        var name = Encoding.ASCII.GetBytes("xl/worksheets/sheet1.xml");
        var patched = 0;
        for (var at = zip.AsSpan().IndexOf(name); at >= 0; at = zip.AsSpan(at + 1).IndexOf(name) is var next and >= 0 ? at + 1 + next : -1)
        {
            if (at >= 30 && BitConverter.ToUInt32(zip, at - 30) == 0x04034b50) { BitConverter.TryWriteBytes(zip.AsSpan(at - 30 + 22), size); patched++; }
            if (at >= 46 && BitConverter.ToUInt32(zip, at - 46) == 0x02014b50) { BitConverter.TryWriteBytes(zip.AsSpan(at - 46 + 24), size); patched++; }
        }
        Assert.Equal(2, patched);
        return zip;
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { }
    }
}
