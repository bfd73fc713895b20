using Traceability.Domain.Epcis;
using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.Tests;

public sealed class CacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonAsync(LookupHost host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        var response = await host.Client.SendAsync(request, Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static Task AddEventAsync(LookupHost host, string id) =>
        host.Stores.Events.CaptureAsync(new CaptureJob("c2", Farm, false, true, LookupHost.Now, LookupHost.Now, [], 1, 0),
            [Event(id, Farm, "ObjectEvent", LookupHost.Now, "storing", Loc(Farm, "KHO-1"), [new(LotKey.Of(OrangeGtin, OrangeLot), EventKeyRole.Lot)])], [], Ct);

    [Fact]
    public async Task Projection_is_cached_until_the_lot_is_invalidated()
    {
        await using var host = await LookupHost.StartAsync();
        await SeedAsync(host.Stores);
        var before = (await JsonAsync(host, Path(OrangeGtin, OrangeLot))).GetProperty("events").GetArrayLength();

        await AddEventAsync(host, "new-1");
        var cached = (await JsonAsync(host, Path(OrangeGtin, OrangeLot))).GetProperty("events").GetArrayLength();
        host.Services.GetRequiredService<ChangeFeedPublisher>().Changed(LotKey.Of(OrangeGtin, OrangeLot)); // what writers call: evicts the cache and the stored read model
        var after = (await JsonAsync(host, Path(OrangeGtin, OrangeLot))).GetProperty("events").GetArrayLength();

        Assert.Equal(before, cached);
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task Invalidating_a_product_evicts_its_lots()
    {
        await using var host = await LookupHost.StartAsync();
        await SeedAsync(host.Stores);
        await JsonAsync(host, Path(OrangeGtin, OrangeLot));

        var product = (await host.Stores.Catalog.GetProductAsync(OrangeGtin, Ct))!;
        await host.Stores.Catalog.UpdateProductAsync(product with { Name = new LocalizedText("Cam sành đặc sản") }, ProductAnnounce(OrangeGtin), Ct);
        host.Services.GetRequiredService<ChangeFeedPublisher>().Changed($"01/{OrangeGtin}"); // what writers call: evicts the cache and the stored read model
        var json = await JsonAsync(host, Path(OrangeGtin, OrangeLot));

        Assert.Equal("Cam sành đặc sản", json.GetProperty("product").GetProperty("name").GetProperty("vi").GetString());
    }

    [Fact]
    public async Task A_newly_registered_lot_resolves_after_invalidation_of_its_cached_404()
    {
        await using var host = await LookupHost.StartAsync();
        await SeedAsync(host.Stores);
        var missing = await host.Client.GetAsync(Path(OrangeGtin, "MOI-01"), Ct);

        await host.Stores.Catalog.AddLotAsync(new Lot(OrangeGtin, "MOI-01", Farm, null, null, null, null, null, LookupHost.Now), LotAnnounce(OrangeGtin, "MOI-01"), Ct);
        host.Services.GetRequiredService<ChangeFeedPublisher>().Changed(LotKey.Of(OrangeGtin, "MOI-01")); // what writers call: evicts the cache and the stored read model
        var found = await host.Client.GetAsync(Path(OrangeGtin, "MOI-01"), Ct);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, found.StatusCode);
    }

    [Fact]
    public async Task Expiry_follows_the_vietnamese_calendar_day()
    {
        await using var host = await LookupHost.StartAsync(b => b.Configuration["Lookup:CacheSeconds"] = "0");
        await SeedAsync(host.Stores);
        await host.Stores.Catalog.AddLotAsync(new Lot(OrangeGtin, "HAN-20", Farm, null, new DateOnly(2026, 11, 20), null, null, null, LookupHost.Now), LotAnnounce(OrangeGtin, "HAN-20"), Ct);

        host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 16, 59, 0, TimeSpan.Zero)); // 23:59 in Vietnam
        var lastDay = (await JsonAsync(host, Path(OrangeGtin, "HAN-20"))).GetProperty("status").GetString();
        host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 17, 1, 0, TimeSpan.Zero));  // 00:01 on the 21st
        var nextDay = (await JsonAsync(host, Path(OrangeGtin, "HAN-20"))).GetProperty("status").GetString();

        Assert.Equal("active", lastDay);
        Assert.Equal("expired", nextDay);
    }

    [Fact]
    public void Estimated_bytes_cover_what_an_entry_holds()
    {
        // Distinct strings per copy, as projections read from the store have; each entry rendered as
        // the resolver keeps it (JSON, and the page in both languages).
        const int copies = 500;
        var entries = new CachedProvenance[copies];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < copies; i++)
        {
            var view = View(i);
            // Sized as the cache sizes it: by the projection's JSON as the read model stores it.
            var entry = entries[i] = new CachedProvenance(view, System.Text.Encoding.UTF8.GetByteCount(LookupReadModel.Serialize(view)));
            entry.Rendered("json", v => Traceability.Lookup.Api.Resolver.Responses.JsonBytes(v));
            entry.Rendered("html vi", v => System.Text.Encoding.UTF8.GetBytes(Traceability.Lookup.Api.Pages.ProvenancePage.Render(v, "vi")));
            entry.Rendered("html en", v => System.Text.Encoding.UTF8.GetBytes(Traceability.Lookup.Api.Pages.ProvenancePage.Render(v, "en")));
        }
        var held = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)copies;
        var counted = entries.Average(e => (double)e.Bytes);
        GC.KeepAlive(entries);

        Assert.True(counted >= held, $"an entry holds {held:F0} bytes but counts {counted:F0}");
        Assert.True(counted <= 3 * held, $"an entry counts {counted:F0} bytes for {held:F0} held: the budget would hold too few lots");
    }

    private static ProvenanceView View(int i)
    {
        string S(string text) => $"{text} {i}";
        var place = (int n) => new PlaceView(S($"Kho lạnh số {n} Hợp tác xã Cam sành Hàm Yên"), S("Tuyên Quang"));
        var events = Enumerable.Range(0, 8).Select(n => new EventView(LookupHost.Now.AddHours(n), "ObjectEvent", "OBSERVE",
            S("https://ref.gs1.org/cbv/BizStep-shipping"), S("https://ref.gs1.org/cbv/Disp-in_transit"), place(n))).ToList();
        return new ProvenanceView(S("https://truyxuat.example.vn/01/08936001000010/10/CS-2611A"), "active",
            new ProductView("08936001000010", new NameView(S("Cam sành Hàm Yên (túi 1 kg)"), S("Ham Yen orange (1 kg bag)")), S("Hàm Yên"),
                S("https://truyxuat.example.vn/images/08936001000010.png"), [S("VietGAP")],
                [new CertificateView(S("VietGAP"), S("VG-2026-0001"), S("Trung tâm Chứng nhận"), new DateOnly(2026, 1, 1), new DateOnly(2028, 1, 1))], S("Trái cây")),
            new ProducerView(S("Hợp tác xã Cam sành Hàm Yên"), S("Thôn 4, xã Phù Lưu, huyện Hàm Yên"), S("Tuyên Quang"), S("0912 345 678"), S("https://camhamyen.vn")),
            new LotView(S("CS-2611A"), new DateOnly(2026, 11, 20), new DateOnly(2026, 12, 20), 500, S("túi")),
            new OriginView(S("Vùng trồng cam Phù Lưu"), S("Tuyên Quang"), 22.05, 105.03),
            events, [], [], null) { Assurance = "registered", Verdict = "authentic" };
    }
}
