namespace Traceability.Security.Tests;

public sealed partial class HttpFuzzTests
{
    private string producerKey = "";

    private static readonly string[] FormValues =
    [
        "\0", "a\0b", "0001-01-01T00:00", "9999-12-31T23:59", "0000-00-00T00:00", "2026-02-30T10:00", "1999-12-31T23:59", "01/01/0001",
        "31/12/9999", "0001-01-01", "9999-12-31", "1e400", "-1", "NaN", "79228162514264337593543950336", "0,5", "", " ", "<script>x</script>",
        "=1+1", "urn:epc:id:sgln:8936001.00001.0", "414/8936001000027", "08936001000010", "trc_x_y", "trc__", "harvest", "processing",
    ];

    /// <summary>Every console form with its fields; {GTIN} and {LOT} are the producer's own.</summary>
    private static readonly (string Url, string[] Fields)[] Forms =
    [
        ("/console/events/new", ["lot", "step", "location", "destination", "partnerGln", "quantity", "uom", "time", "note"]),
        ("/console/transform", ["inputs", "inputs", "otherGtin", "otherLot", "lot", "location", "quantity", "uom", "time", "note"]),
        ("/console/products/new", ["gtin", "name.vi", "name.en", "brand", "imageUrl", "standards", "unit", "category"]),
        ("/console/products/{GTIN}/edit", ["name.vi", "name.en", "brand", "imageUrl", "standards", "unit", "category"]),
        ("/console/locations/new", ["code", "name", "kind", "address", "province", "latitude", "longitude", "gln"]),
        ("/console/lots/new", ["gtin", "lot", "productionDate", "expiryDate", "quantity", "uom", "originLocation"]),
        ("/console/lots/{GTIN}/{LOT}/recall", ["reason", "severity"]),
        ("/console/import", ["file"]),
        ("/console/import/0123456789abcdef01234567/commit", []),
        ("/console/signin", ["key"]),
        ("/console/signout", []),
    ];

    [Fact]
    public async Task Forty_thousand_hostile_console_forms_get_no_server_error()
    {
        var signedIn = await ConsoleBrowser.OpenAsync(app, producerKey);
        var anonymous = await ConsoleBrowser.OpenAsync(app, null);
        var random = new Random(20261203);
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        foreach (var (browser, forms) in new[] { (signedIn, Forms[..^2]), (anonymous, Forms[^2..]) })
        {
            var count = FormInputs * forms.Length / Forms.Length;
            await RunAsync(browser.Client, count, i => FormInput(random, forms[i % forms.Length], browser.Token), async (input, response) =>
            {
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status >= 500) failures.Enqueue($"{status} for {input.Url} {Encoding.UTF8.GetString(input.Body[..Math.Min(2000, input.Body.Length)])}");
                await Task.CompletedTask;
            });
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} failures, first: {string.Join("\n", failures.Take(5))}");
        AssertNoUnhandledExceptionLogged();
        Assert.True(statuses.GetValueOrDefault(400) > FormInputs / 4, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault(302) > 0, string.Join(", ", statuses)); // some forms were saved
    }

    private Input FormInput(Random random, (string Url, string[] Fields) form, string token)
    {
        var url = form.Url.Replace("{GTIN}", gtin, StringComparison.Ordinal).Replace("{LOT}", "L1", StringComparison.Ordinal);
        var fields = form.Fields.Where(_ => random.Next(10) < 8).Select(f => (f, Value(random, f))).Append(("__csrf", token)).ToList();
        if (random.Next(5) > 0 && form.Fields is not ["file"]) return new Input(url, UrlEncoded(fields), "application/x-www-form-urlencoded");
        // Multipart: values are raw text there (no %-decoding), so NULs and odd bytes reach the handlers.
        const string boundary = "fuzzBoundary7MA4YWxk";
        var sb = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            var file = name is "file" or "image";
            sb.Append($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{(file ? "; filename=\"x.csv\"\r\nContent-Type: text/csv" : "")}\r\n\r\n");
            sb.Append(file ? $"gtin,lot,bizStep,eventTime\r\n{gtin},L1,{Value(random, "step")},{Value(random, "time")}\r\n" : value).Append("\r\n");
        }
        sb.Append($"--{boundary}--\r\n");
        return new Input(url, Encoding.UTF8.GetBytes(sb.ToString()), $"multipart/form-data; boundary={boundary}");
    }

    private string Value(Random random, string field) => random.Next(4) switch
    {
        0 => field switch
        {
            "lot" or "inputs" => $"{gtin}:L1",
            "step" => new[] { "harvest", "packing", "shipping", "processing", "retail" }[random.Next(5)],
            "time" => DateTimeOffset.UtcNow.AddHours(7 - random.Next(1000)).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            "gtin" or "otherGtin" => gtin,
            "location" or "originLocation" => "VUON",
            "severity" => "high",
            _ => "Giá trị " + random.Next(1000),
        },
        1 => FuzzTests.RandomText(random, "aé\0%&=+\u00ff\ud800\udfff🍊<>\"'\r\n", 30),
        2 => new string('x', random.Next(2, 6) * 1000),
        _ => FormValues[random.Next(FormValues.Length)],
    };

    /// <summary>application/x-www-form-urlencoded by hand, so a lone surrogate becomes U+FFFD's bytes rather than an exception here.</summary>
    private static byte[] UrlEncoded(IEnumerable<(string Name, string Value)> fields)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (sb.Length > 0) sb.Append('&');
            Encode(sb, name).Append('=');
            Encode(sb, value);
        }
        return Encoding.ASCII.GetBytes(sb.ToString());

        static StringBuilder Encode(StringBuilder sb, string text)
        {
            foreach (var b in Encoding.UTF8.GetBytes(text))
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~') sb.Append((char)b);
                else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            return sb;
        }
    }

}
