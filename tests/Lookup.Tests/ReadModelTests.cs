using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Traceability.Lookup.Tests;

/// <summary>
/// The lookup read model (issue 22) behind the memory cache, which these hosts turn off
/// (Lookup:CacheSeconds = 0) so every lookup goes to it: a miss is stored write-behind and the next
/// lookup answers from the row; a recall shows on the very next lookup; a build that a change overtook
/// is not stored; the expiry date flips the status without any write.
/// </summary>
public sealed class ReadModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string OrangeKey = LotKey.Of(TestData.OrangeGtin, TestData.OrangeLot);

    private static async Task<(LookupHost Host, SwitchableRecall Recall)> StartAsync()
    {
        var recall = new SwitchableRecall();
        var host = await LookupHost.StartAsync(b =>
        {
            b.Configuration["Lookup:CacheSeconds"] = "0";
            b.Services.AddSingleton<ILotStatusSource>(recall);
        });
        await TestData.SeedAsync(host.Stores);
        return (host, recall);
    }

    private static async Task<JsonObject> LookupAsync(LookupHost host, string gtin, string lot) =>
        (await host.Client.GetFromJsonAsync<JsonObject>(TestData.Path(gtin, Uri.EscapeDataString(lot)) + "?format=json", Ct))!;

    /// <summary>
    /// Waits for the row. With <paramref name="pollFeed"/>, the host's clock moves on by a change-feed poll interval each
    /// round: the change is appended to the feed asynchronously, so one tick may come before it lands.
    /// </summary>
    private static async Task<LookupView> RowAsync(LookupHost host, string key, Func<LookupView, bool>? until = null, bool pollFeed = false)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (await host.Stores.LookupViews.GetLookupViewAsync(key, Ct) is { } row && (until is null || until(row))) return row;
            Assert.True(DateTime.UtcNow < deadline, $"no row for {key}");
            if (pollFeed) host.Time.Advance(ChangeFeedService.PollInterval);
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task A_miss_is_stored_write_behind_the_next_lookup_reads_the_row_and_a_recall_shows_on_the_very_next_lookup()
    {
        var (host, recall) = await StartAsync();
        await using var _ = host;
        Assert.Equal("active", (string?)(await LookupAsync(host, TestData.OrangeGtin, TestData.OrangeLot))["status"]);

        // Stored after the answer, as the builder makes it.
        var row = await RowAsync(host, OrangeKey);
        var fresh = await host.Services.GetRequiredService<ProvenanceBuilder>().BuildAsync(TestData.OrangeGtin, TestData.OrangeLot, Ct);
        Assert.Equal(LookupReadModel.Serialize(fresh!), row.Json);
        Assert.Equal(ProvenanceView.ProjectionVersion, row.Version);

        // The next lookup answers from the row (a marked copy of it), not from a build.
        var stored = LookupReadModel.TryDeserialize(row.Json)!;
        var marked = LookupReadModel.Serialize(stored with { Producer = stored.Producer with { Name = "marked" } });
        Assert.Equal(1, await host.Stores.LookupViews.PutLookupViewsAsync([row with { Json = marked, BuiltAt = await host.Stores.ChangeFeed.LatestChangeAsync(Ct) }], Ct));
        Assert.Equal("marked", (string?)(await LookupAsync(host, TestData.OrangeGtin, TestData.OrangeLot))["producer"]!["name"]);

        // A recall (as the recall feature does it: its write, then the notifier) shows on the next lookup, at once.
        recall.LotKey = OrangeKey;
        foreach (var notifier in host.Services.GetServices<IChangeNotifier>()) notifier.Changed(OrangeKey);
        var after = await LookupAsync(host, TestData.OrangeGtin, TestData.OrangeLot);
        Assert.Equal("recalled", (string?)after["status"]);
        Assert.NotEqual("marked", (string?)after["producer"]!["name"]);

        // The projector rebuilds the lot once the change is in the feed (its poll runs on the host's clock).
        var rebuilt = await RowAsync(host, OrangeKey, r => r.Json.Contains("\"recalled\"", StringComparison.Ordinal), pollFeed: true);
        Assert.DoesNotContain("marked", rebuilt.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_that_a_change_overtook_is_not_stored()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var model = host.Services.GetRequiredService<LookupReadModel>();

        var built = await model.BuildAsync(TestData.OrangeGtin, TestData.OrangeLot, Ct);
        await host.Stores.ChangeFeed.AppendChangesAsync([OrangeKey], "another-host", host.Time.GetUtcNow(), Ct); // a write on another host
        Assert.Equal(0, await model.StoreAsync([built], Ct));
        Assert.Null(await host.Stores.LookupViews.GetLookupViewAsync(OrangeKey, Ct));

        // Told on this host and not yet in the feed: not stored either.
        built = await model.BuildAsync(TestData.OrangeGtin, TestData.OrangeLot, Ct);
        var publisher = host.Services.GetRequiredService<ChangeFeedPublisher>();
        publisher.Changed(ChangeKeys.Product(TestData.OrangeGtin));
        Assert.Equal(0, await model.StoreAsync([built], Ct));

        // Built after the changes reached the feed: stored.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (publisher.ChangedSince(OrangeKey, TestData.OrangeGtin, 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the change was not appended");
            await Task.Delay(20, Ct);
        }
        Assert.Equal(1, await model.StoreAsync([await model.BuildAsync(TestData.OrangeGtin, TestData.OrangeLot, Ct)], Ct));
    }

    [Fact]
    public async Task A_changed_lot_that_a_lookup_rebuilt_since_is_not_built_again_by_the_projector()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var model = host.Services.GetRequiredService<LookupReadModel>();
        // A projector of the test's own: the host's sees the feed only when its clock moves, which this test does only by the
        // projector's settle window (the host's may then rebuild the lot too, which the assertions allow).
        var projector = new LookupProjector(model, host.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<LookupProjector>.Instance);

        // Another host's change deleted the row; then a lookup here built the lot again and stored it (marked, to tell it from a rebuild).
        await host.Stores.ChangeFeed.AppendChangesAsync([OrangeKey], "another-host", host.Time.GetUtcNow(), Ct);
        var built = await model.BuildAsync(TestData.OrangeGtin, TestData.OrangeLot, Ct);
        var view = built.Projection.View!;
        Assert.Equal(1, await host.Stores.LookupViews.PutLookupViewsAsync(
            [built.Row! with { Json = LookupReadModel.Serialize(view with { Producer = view.Producer with { Name = "marked" } }) }], Ct));
        projector.Observe(OrangeKey);
        host.Time.Advance(LookupProjector.Settle);
        await projector.StepAsync(Ct);
        Assert.Contains("marked", (await host.Stores.LookupViews.GetLookupViewAsync(OrangeKey, Ct))!.Json, StringComparison.Ordinal);

        // The same change with no row since: rebuilt.
        await host.Stores.ChangeFeed.AppendChangesAsync([OrangeKey], "another-host", host.Time.GetUtcNow(), Ct);
        Assert.Null(await host.Stores.LookupViews.GetLookupViewAsync(OrangeKey, Ct));
        projector.Observe(OrangeKey);
        host.Time.Advance(LookupProjector.Settle);
        Assert.True(await projector.StepAsync(Ct));
        var rebuilt = await host.Stores.LookupViews.GetLookupViewAsync(OrangeKey, Ct);
        Assert.NotNull(rebuilt);
        Assert.DoesNotContain("marked", rebuilt.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_lot_is_built_once_its_changes_have_settled()
    {
        var (host, recall) = await StartAsync();
        await using var _host = host;
        var model = host.Services.GetRequiredService<LookupReadModel>();
        var projector = new LookupProjector(model, host.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<LookupProjector>.Instance);
        while (await projector.StepAsync(Ct))
        {
            // The first sweep builds every lot; the next is a minute away on the host's clock.
        }

        // A burst of captures (here a recall, then more) names the lot again and again: not built while they keep coming.
        recall.LotKey = OrangeKey;
        await host.Stores.ChangeFeed.AppendChangesAsync([OrangeKey], "another-host", host.Time.GetUtcNow(), Ct);
        projector.Observe(OrangeKey);
        host.Time.Advance(LookupProjector.Settle / 2);
        projector.Observe(OrangeKey);
        Assert.False(await projector.StepAsync(Ct));
        Assert.Null(await host.Stores.LookupViews.GetLookupViewAsync(OrangeKey, Ct));

        // Settled, counted from the first change: built, with the change.
        host.Time.Advance(LookupProjector.Settle / 2);
        Assert.True(await projector.StepAsync(Ct));
        Assert.Contains("\"recalled\"", (await host.Stores.LookupViews.GetLookupViewAsync(OrangeKey, Ct))!.Json, StringComparison.Ordinal);

        // Once: the second change did not queue a second build.
        await host.Stores.LookupViews.DeleteLookupViewsAsync([OrangeKey], Ct);
        Assert.False(await projector.StepAsync(Ct));
        Assert.Null(await host.Stores.LookupViews.GetLookupViewAsync(OrangeKey, Ct));
    }

    [Fact]
    public async Task The_expiry_date_flips_the_status_without_a_write()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        // Expires today in Vietnam (10:00 there): expired from 00:00 tomorrow, 14 hours from now.
        await host.Stores.Catalog.AddLotAsync(new Lot(TestData.OrangeGtin, "HOM-NAY", TestData.Farm, null, new DateOnly(2026, 11, 20), null, null, null, LookupHost.Now),
            TestData.LotAnnounce(TestData.OrangeGtin, "HOM-NAY"));
        Assert.Equal("active", (string?)(await LookupAsync(host, TestData.OrangeGtin, "HOM-NAY"))["status"]);
        var row = await RowAsync(host, LotKey.Of(TestData.OrangeGtin, "HOM-NAY"));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(7)), row.ValidUntil);

        host.Time.Advance(TimeSpan.FromHours(14) - TimeSpan.FromSeconds(1));
        Assert.Equal("active", (string?)(await LookupAsync(host, TestData.OrangeGtin, "HOM-NAY"))["status"]);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("expired", (string?)(await LookupAsync(host, TestData.OrangeGtin, "HOM-NAY"))["status"]);
        Assert.False(LookupReadModel.IsCurrent(row, host.Time.GetUtcNow()));
    }

    [Fact]
    public void A_view_holds_until_the_lot_expires_a_certificate_changes_or_a_day_passes()
    {
        var now = LookupHost.Now; // 10:00 in Vietnam on 20 November 2026
        var view = new ProvenanceView("/01/x", "active",
            new ProductView("x", new NameView("x", null), null, null, [], [new CertificateView("VietGAP", null, null, null, new DateOnly(2026, 11, 20))], null),
            new ProducerView("p", "a", "Tuyên Quang"), new LotView("L", null, new DateOnly(2026, 11, 25), null, null), null, [], [], [], null);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(7)), LookupReadModel.ValidUntil(view, now)); // the certificate lapses
        Assert.Equal(now + LookupReadModel.MaxAge, LookupReadModel.ValidUntil(view with { Product = view.Product with { Certificates = [] } }, now));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.FromHours(7)),
            LookupReadModel.ValidUntil(view with { Product = view.Product with { Certificates = [] } }, now.AddDays(5))); // the lot expires within the day
    }

    /// <summary>A recall source a test switches on for one lot.</summary>
    private sealed class SwitchableRecall : ILotStatusSource
    {
        public volatile string? LotKey;

        public ValueTask<StatusFinding?> GetStatusAsync(LotStatusContext context, CancellationToken ct) =>
            ValueTask.FromResult(context.Lot?.Key == LotKey && LotKey is not null ? new StatusFinding(LotStatus.Recalled, RecallSource.Recall) : null);
    }
}
