using Microsoft.Extensions.Configuration;
using Traceability.NationalPortal.Client;

namespace Traceability.Sync.Tests;

public sealed class PortalClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PortalProduct Product(string gtin) =>
        new("5000123456", gtin, "Chè Shan Tuyết", "hộp", "Hà Giang, Việt Nam", null, null, null, null);

    private static ServiceProvider Client(SimulatorHost portal, ListLogger? logs = null, Dictionary<string, string?>? extra = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Portal:BaseUrl"] = portal.BaseUrl.ToString(),
            ["Portal:ClientId"] = SimulatorHost.ClientId,
            ["Portal:ClientSecret"] = SimulatorHost.ClientSecret,
            ["Portal:MaxRetries"] = "3",
            ["Portal:RetryBaseDelay"] = "00:00:00.005",
            ["Portal:RetryMaxDelay"] = "00:00:05",
            ["Portal:BreakerMinimumThroughput"] = "100",
        };
        foreach (var (k, v) in extra ?? [])
            config[k] = v;
        var services = new ServiceCollection();
        services.AddLogging(b => { if (logs is not null) b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace); });
        services.AddNationalPortalClient(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task An_expired_token_is_replaced_once_and_the_call_goes_through()
    {
        var portalTime = new FakeTimeProvider(TestData.Now);
        await using var portal = await SimulatorHost.StartAsync(portalTime);
        await using var sp = Client(portal);
        var api = sp.GetRequiredService<INationalPortalApi>();

        Assert.True((await api.CreateProductAsync(Product(TestData.Gtin(1)), Ct)).IsSuccessful);
        portalTime.Advance(TimeSpan.FromHours(2)); // the portal's clock only: the client still trusts its token
        using var second = await api.CreateProductAsync(Product(TestData.Gtin(2)), Ct);

        Assert.Equal(PortalOutcomeKind.Created, PortalOutcome.From(second, r => r.IdSanPham).Kind);
        // token, post; post (401), token, post.
        Assert.Equal(5, (await portal.StatsAsync()).Requests);
    }

    [Fact]
    public async Task A_400_is_not_retried_and_carries_the_portal_reason()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await using var sp = Client(portal);
        var api = sp.GetRequiredService<INationalPortalApi>();

        using var response = await api.CreateProductAsync(Product("08930000000013"), Ct); // wrong check digit
        var outcome = PortalOutcome.From(response, r => r.IdSanPham);

        Assert.Equal(PortalOutcomeKind.Rejected, outcome.Kind);
        Assert.StartsWith("MA_VACH_KHONG_HOP_LE: ", outcome.Error);
        Assert.Equal(2, (await portal.StatsAsync()).Requests); // token + one attempt
    }

    [Fact]
    public async Task A_503_is_retried_with_backoff_up_to_the_limit_then_reported_transient()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await using var sp = Client(portal);
        var api = sp.GetRequiredService<INationalPortalApi>();
        Assert.True((await api.CreateProductAsync(Product(TestData.Gtin(1)), Ct)).IsSuccessful);
        var before = (await portal.StatsAsync()).Requests;
        await portal.SetFaultsAsync(new { errorRate = 1.0, status = 503 });

        using var response = await api.CreateProductAsync(Product(TestData.Gtin(2)), Ct);

        Assert.Equal(PortalOutcomeKind.Transient, PortalOutcome.From(response, r => r.IdSanPham).Kind);
        Assert.Equal(4, (await portal.StatsAsync()).Requests - before); // 1 + MaxRetries 3
    }

    [Fact]
    public async Task A_429_waits_for_Retry_After_before_the_next_attempt()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await using var sp = Client(portal, extra: new() { ["Portal:MaxRetries"] = "1" });
        var api = sp.GetRequiredService<INationalPortalApi>();
        Assert.True((await api.CreateProductAsync(Product(TestData.Gtin(1)), Ct)).IsSuccessful);
        await portal.SetFaultsAsync(new { errorRate = 1.0, status = 429, retryAfterSeconds = 1 });

        var clock = Stopwatch.StartNew();
        using var response = await api.CreateProductAsync(Product(TestData.Gtin(2)), Ct);

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_request_stored_but_dropped_is_retried_and_answered_with_the_existing_id()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await using var sp = Client(portal);
        var api = sp.GetRequiredService<INationalPortalApi>();
        Assert.True((await api.CreateProductAsync(Product(TestData.Gtin(1)), Ct)).IsSuccessful);
        await portal.SetFaultsAsync(new { dropRate = 1.0 });

        using var response = await api.CreateProductAsync(Product(TestData.Gtin(2)), Ct);
        var outcome = PortalOutcome.From(response, r => r.IdSanPham);

        Assert.Equal(PortalOutcomeKind.AlreadyExists, outcome.Kind);
        Assert.Equal(portal.State.Received("product").Single(r => r.NaturalKey == TestData.Gtin(2)).Id, outcome.PortalId);
        Assert.Equal((2, 0L, 1L), ((await portal.StatsAsync()).Products, (await portal.StatsAsync()).DuplicatesStored,
            (await portal.StatsAsync()).DuplicatesRejected));
    }

    [Fact]
    public async Task Refused_credentials_surface_as_an_authentication_error_and_the_secret_is_never_logged()
    {
        await using var portal = await SimulatorHost.StartAsync();
        var logs = new ListLogger();
        await using var sp = Client(portal, logs, new() { ["Portal:ClientSecret"] = "wrong-secret-value" });
        var api = sp.GetRequiredService<INationalPortalApi>();

        using var response = await api.CreateProductAsync(Product(TestData.Gtin(1)), Ct);

        Assert.True(response.HasRequestError(out var error));
        Assert.IsType<PortalAuthenticationException>(error.InnerException);
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains("wrong-secret-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_portal_settings_fail_at_start_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddNationalPortalClient(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.Contains("BaseUrl", ex.Message);
    }
}

/// <summary>Keeps every formatted log message (and exception text) for assertions.</summary>
public sealed class ListLogger : ILoggerProvider, ILogger
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages { get { lock (_messages) return [.. _messages]; } }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_messages)
            _messages.Add(formatter(state, exception) + " " + exception);
    }

    public void Dispose() { }
}
