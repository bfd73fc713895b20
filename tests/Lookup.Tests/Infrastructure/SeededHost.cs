using Microsoft.Extensions.DependencyInjection;
using Traceability.Lookup.Api.Provenance;
using Traceability.Storage;

namespace Traceability.Lookup.Tests.Infrastructure;

/// <summary>One host with the test world, shared by a test class.</summary>
public sealed class SeededHost : IAsyncLifetime
{
    public LookupHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    public async ValueTask InitializeAsync()
    {
        Host = await LookupHost.StartAsync(b => b.Services.AddSingleton<ILotStatusSource>(
            new RecallSource(LotKey.Of(TestData.OrangeGtin, TestData.RecalledLot))));
        await TestData.SeedAsync(Host.Stores);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Stands in for the recall feature: one lot is recalled.</summary>
public sealed class RecallSource(string lotKey) : ILotStatusSource
{
    public static readonly RecallView Recall = new("Nhiễm nấm mốc <b>Aspergillus</b>", "high", new DateTimeOffset(2026, 11, 15, 2, 0, 0, TimeSpan.Zero));

    public ValueTask<StatusFinding?> GetStatusAsync(LotStatusContext context, CancellationToken ct) =>
        ValueTask.FromResult(context.Lot?.Key == lotKey ? new StatusFinding(LotStatus.Recalled, Recall) : null);
}
