using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Domain.Epcis;
using Traceability.Lookup.Api.Provenance;
using Traceability.Lookup.Tests.Infrastructure;
using Traceability.Storage;
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
        host.Store.CaptureAsync(new CaptureJob("c2", Farm, false, true, LookupHost.Now, LookupHost.Now, [], 1, 0),
            [Event(id, Farm, "ObjectEvent", LookupHost.Now, "storing", Loc(Farm, "KHO-1"), [new(LotKey.Of(OrangeGtin, OrangeLot), EventKeyRole.Lot)])], [], Ct);

    [Fact]
    public async Task Projection_is_cached_until_the_lot_is_invalidated()
    {
        await using var host = await LookupHost.StartAsync();
        await SeedAsync(host.Store, host.Store, host.Store, host.Store);
        var before = (await JsonAsync(host, Path(OrangeGtin, OrangeLot))).GetProperty("events").GetArrayLength();

        await AddEventAsync(host, "new-1");
        var cached = (await JsonAsync(host, Path(OrangeGtin, OrangeLot))).GetProperty("events").GetArrayLength();
        host.Services.GetRequiredService<ILookupCache>().Invalidate(LotKey.Of(OrangeGtin, OrangeLot));
        var after = (await JsonAsync(host, Path(OrangeGtin, OrangeLot))).GetProperty("events").GetArrayLength();

        Assert.Equal(before, cached);
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task Invalidating_a_product_evicts_its_lots()
    {
        await using var host = await LookupHost.StartAsync();
        await SeedAsync(host.Store, host.Store, host.Store, host.Store);
        await JsonAsync(host, Path(OrangeGtin, OrangeLot));

        var product = (await host.Store.GetProductAsync(OrangeGtin, Ct))!;
        await host.Store.UpdateProductAsync(product with { Name = new LocalizedText("Cam sành đặc sản") }, ProductAnnounce(OrangeGtin), Ct);
        host.Services.GetRequiredService<ILookupCache>().Invalidate($"01/{OrangeGtin}");
        var json = await JsonAsync(host, Path(OrangeGtin, OrangeLot));

        Assert.Equal("Cam sành đặc sản", json.GetProperty("product").GetProperty("name").GetProperty("vi").GetString());
    }

    [Fact]
    public async Task A_newly_registered_lot_resolves_after_invalidation_of_its_cached_404()
    {
        await using var host = await LookupHost.StartAsync();
        await SeedAsync(host.Store, host.Store, host.Store, host.Store);
        var missing = await host.Client.GetAsync(Path(OrangeGtin, "MOI-01"), Ct);

        await host.Store.AddLotAsync(new Lot(OrangeGtin, "MOI-01", Farm, null, null, null, null, null, LookupHost.Now), LotAnnounce(OrangeGtin, "MOI-01"), Ct);
        host.Services.GetRequiredService<ILookupCache>().Invalidate(LotKey.Of(OrangeGtin, "MOI-01"));
        var found = await host.Client.GetAsync(Path(OrangeGtin, "MOI-01"), Ct);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, found.StatusCode);
    }

    [Fact]
    public async Task Expiry_follows_the_vietnamese_calendar_day()
    {
        await using var host = await LookupHost.StartAsync(b => b.Configuration["Lookup:CacheSeconds"] = "0");
        await SeedAsync(host.Store, host.Store, host.Store, host.Store);
        await host.Store.AddLotAsync(new Lot(OrangeGtin, "HAN-20", Farm, null, new DateOnly(2026, 11, 20), null, null, null, LookupHost.Now), LotAnnounce(OrangeGtin, "HAN-20"), Ct);

        host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 16, 59, 0, TimeSpan.Zero)); // 23:59 in Vietnam
        var lastDay = (await JsonAsync(host, Path(OrangeGtin, "HAN-20"))).GetProperty("status").GetString();
        host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 17, 1, 0, TimeSpan.Zero));  // 00:01 on the 21st
        var nextDay = (await JsonAsync(host, Path(OrangeGtin, "HAN-20"))).GetProperty("status").GetString();

        Assert.Equal("active", lastDay);
        Assert.Equal("expired", nextDay);
    }
}
