using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Traceability.Ingestion.Api.Accounts;
using Traceability.Ingestion.Api.Catalog;
using Traceability.Ingestion.Api.Epcis;
using Traceability.Lookup.Api.Recalls;
using Traceability.ServiceDefaults.Problems;
using static Traceability.Standalone.Demo.DemoData;

namespace Traceability.Standalone.Demo;

public static class DemoExtensions
{
    /// <summary>Seeds the demo data set on an empty store when <c>Demo:Seed</c> is true (the default here).</summary>
    public static IHostApplicationBuilder AddDemoData(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue("Demo:Seed", true))
            builder.Services.AddHostedService<DemoSeeder>();
        return builder;
    }
}

/// <summary>
/// Loads the demo data through the same services the API uses (validation, ownership, outbox), so
/// the demo also exercises the real code paths. Runs before the server starts listening.
/// </summary>
internal sealed partial class DemoSeeder(
    IServiceProvider services, IAccountStore accounts, TimeProvider time, IConfiguration configuration,
    IHostApplicationLifetime lifetime, IServer server, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string KeysFileName = "demo-keys.txt";
    public const string RecalledLot = "SLC-2610-07";
    public const string RecallReason =
        "Phát hiện củ sâm trồng ngoài vùng Tả Lèng bị trộn vào lô; ngừng bán và trả lại nơi mua. " +
        "Roots grown outside the Tả Lèng area were mixed into the lot; stop selling and return it.";

    public async Task StartAsync(CancellationToken ct)
    {
        if ((await accounts.ListProducersAsync(ct)).Count > 0) return;
        LogSeeding(logger);
        var keys = await SeedAsync(ct);
        var file = WriteKeys(keys);
        lifetime.ApplicationStarted.Register(() => PrintWelcome(keys, file));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task<Dictionary<string, (string Id, string ApiKey)>> SeedAsync(CancellationToken ct)
    {
        var accountService = services.GetRequiredService<AccountService>();
        var catalog = services.GetRequiredService<CatalogService>();
        var capture = services.GetRequiredService<CaptureService>();

        var producers = new Dictionary<string, (string Id, string ApiKey)>();
        foreach (var p in Producers)
        {
            var created = Check(await accountService.CreateProducerAsync(
                new CreateProducerRequest(p.Name, p.TaxCode, p.Address, p.Province, null, [p.Prefix], null, null), ct), p.Name);
            producers[p.Key] = (created.Id, created.ApiKey);
        }
        var inspector = Check(await accountService.CreateInspectorAsync(
            new CreateInspectorRequest("Nguyễn Văn An", "Cục Quản lý thị trường tỉnh Tuyên Quang"), ct), "inspector");
        producers["inspector"] = (inspector.Id, inspector.ApiKey);

        foreach (var l in Locations)
            Check(await catalog.AddLocationAsync(producers[l.Producer].Id,
                new LocationRequest(l.Code, l.Name, l.Kind, l.Address, l.Province, l.Lat, l.Lon, null), ct), l.Code);
        foreach (var p in Products)
            Check(await catalog.AddProductAsync(producers[p.Producer].Id, new ProductRequest(p.Gtin, new LocalizedName(p.NameVi, p.NameEn),
                p.Brand, $"{PublicBaseUrl()}/demo/{p.Gtin.PadLeft(14, '0')}.svg", p.Category, new LocalizedName(p.DescriptionVi, null), p.Standards, p.Unit), ct), p.Gtin);

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var story = new DemoStory(time.GetUtcNow(), code => LocationOf(producers, code));
        foreach (var lot in story.Lots(today))
            Check(await catalog.AddLotAsync(producers[lot.Producer].Id, lot.Request, ct), lot.Request.Lot!);
        foreach (var (producer, document) in story.Documents())
            Check(await capture.CaptureDocumentAsync(producers[producer].Id, System.Text.Json.JsonSerializer.SerializeToElement(document), ct),
                "events of " + producer);
        // The recalled lot of DESIGN §6, recalled by its producer through the same service as the API.
        Check(await services.GetRequiredService<RecallService>().IssueAsync(
            new RecallIssuer(false, producers["sam"].Id, "producer:" + producers["sam"].Id),
            new RecallRequest(Products[3].Gtin, [RecalledLot], RecallReason, "high"), ct), RecalledLot);
        return producers;
    }

    /// <summary>
    /// Product images must be public absolute URLs (the national portal refuses others): the demo's
    /// are served by this host, on Lookup:PublicBaseUrl or the first --urls address.
    /// </summary>
    private string PublicBaseUrl() =>
        (configuration["Lookup:PublicBaseUrl"] ?? configuration["urls"]?.Split(';')[0] ?? "http://127.0.0.1:8080").TrimEnd('/');

    private static string LocationOf(Dictionary<string, (string Id, string ApiKey)> producers, string code)
    {
        var location = Locations.Single(l => l.Code == code);
        return LocationIdentifier.PrivatePrefix + producers[location.Producer].Id + ":" + code;
    }

    private static T Check<T>(Outcome<T> outcome, string what) => outcome.IsOk
        ? outcome.Value!
        : throw new InvalidOperationException($"Demo data '{what}' was refused: {outcome.Kind} {outcome.Message} " +
            string.Join("; ", outcome.Errors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? []));

    private string WriteKeys(Dictionary<string, (string Id, string ApiKey)> keys)
    {
        var dir = Traceability.Storage.StorageOptions.FullDataDirectory(configuration);
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, KeysFileName);
        File.WriteAllLines(file, keys.Select(k => $"{k.Key}\t{k.Value.Id}\t{k.Value.ApiKey}"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    private void PrintWelcome(Dictionary<string, (string Id, string ApiKey)> keys, string file)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:8080";
        var orange = Products[0].Gtin.PadLeft(14, '0');
        Console.WriteLine($"""

            ======================================================================
             Demo data loaded. Open:
               {address}/docs                               API reference
               {address}/01/{orange}/10/CS-2611A     a consumer's QR lookup (JSON: Accept: application/json)
             Demo producer key (Hợp tác xã Cam sành Hàm Yên), shown once:
               {keys["cam"].ApiKey}
             Demo inspector key: {keys["inspector"].ApiKey}
             All demo keys are also in {file}.
            ======================================================================

            """);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty store: loading the demo data set")]
    private static partial void LogSeeding(ILogger logger);
}
