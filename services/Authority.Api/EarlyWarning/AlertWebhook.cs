using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Traceability.Ingestion.Api.Epcis.Subscriptions;
using Traceability.Lookup.Api;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>What a webhook receives: the alert's case and reasons, and where staff handle it. Never consumers' data (alerts hold none).</summary>
public sealed record AlertPush(
    string Id, string Kind, Text KindName, double Score, long Count, string Gtin, string? Lot, string? Province, DateOnly Day,
    Text Reason, string Status, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string Link, string Api)
{
    public static AlertPush Of(EarlyAlert a, string baseUrl) => new(a.Id, a.Kind, AlertTexts.KindName(a.Kind), a.Score, a.Count, a.Gtin,
        a.Lot.Length == 0 ? null : a.Lot, a.Province.Length == 0 ? null : a.Province, a.Day, new(a.ReasonVi, a.ReasonEn), a.Status,
        a.FirstSeen, a.LastSeen, baseUrl + "/authority", baseUrl + "/api/v1/alerts/" + Uri.EscapeDataString(a.Id));
}

/// <summary>
/// Pushes early-warning alerts to <c>EarlyWarning:WebhookUrl</c>, off the scan path. The engine's
/// alert write marks the push in the store (the outbox: <see cref="IEarlyWarningStore.UpsertEarlyAlertAsync(EarlyAlert, double?, CancellationToken)"/>)
/// and pokes this worker; each round posts every due alert (a few quick retries through a Polly
/// pipeline for 5xx, 408, 429 and network errors) and clears the mark only after a 2xx, so a push is
/// delivered at least once, across restarts too; a failed round waits 10 s doubling to an hour.
/// Receivers deduplicate by <c>id</c> + <c>score</c> (two hosts over one store may both send).
/// Every outcome is logged and counted (<c>traceability.early_warning.webhook</c>, tag <c>outcome</c>).
/// </summary>
public sealed partial class AlertWebhook : BackgroundService
{
    public const string SignatureHeader = "X-Traceability-Signature";
    /// <summary>Due pushes are also looked for this often: other hosts' alerts, and failed ones whose wait is over.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);
    private const int RoundSize = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IEarlyWarningStore _store;
    private readonly EarlyWarningOptions _options;
    private readonly string _baseUrl;
    private readonly AuthorityTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertWebhook> _logger;
    private readonly SemaphoreSlim _poked = new(0, 1);
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        // The configured receiver answers itself: a redirect could lead anywhere.
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    }) { Timeout = Timeout.InfiniteTimeSpan };

    public AlertWebhook(IEarlyWarningStore store, IOptions<EarlyWarningOptions> options, IOptions<LookupOptions> lookup,
        AuthorityTelemetry telemetry, TimeProvider time, ILogger<AlertWebhook> logger)
    {
        (_store, _options, _telemetry, _time, _logger) = (store, options.Value, telemetry, time, logger);
        _baseUrl = lookup.Value.PublicBaseUrl?.TrimEnd('/') ?? "";
        Enabled = !string.IsNullOrWhiteSpace(_options.WebhookUrl);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            TimeProvider = time,
        }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>().Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(10))
            .Build();
    }

    /// <summary>Whether a webhook is configured (the engine marks pushes only then).</summary>
    public bool Enabled { get; }

    /// <summary>Something may be due now: the next round starts at once instead of at the next poll.</summary>
    public void Poke()
    {
        if (!Enabled) return;
        try
        {
            _poked.Release();
        }
        catch (SemaphoreFullException)
        {
            // A round is already asked for.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RoundAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRoundFailed(_logger, ex);
                }
                await _poked.WaitAsync(PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Posts every push that is due now (one round); internal for tests that drive it without the timer.</summary>
    internal async Task RoundAsync(CancellationToken ct)
    {
        foreach (var due in await _store.ListDueEarlyAlertPushesAsync(_time.GetUtcNow(), RoundSize, ct))
        {
            var alert = due.Alert;
            var body = JsonSerializer.SerializeToUtf8Bytes(AlertPush.Of(alert, _baseUrl), Json);
            string? error;
            try
            {
                using var response = await _pipeline.ExecuteAsync(async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, _options.WebhookUrl) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
                    if (!string.IsNullOrEmpty(_options.WebhookSecret))
                        request.Headers.Add(SignatureHeader, WebhookDelivery.Sign(_options.WebhookSecret, body));
                    return await _client.SendAsync(request, token);
                }, ct);
                error = response.IsSuccessStatusCode ? null : $"the receiver answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
            {
                error = ex.Message;
            }
            var now = _time.GetUtcNow();
            if (error is null)
            {
                await _store.MarkEarlyAlertPushedAsync(alert.Id, due.Due, alert.Score, _options.Threshold, now, CancellationToken.None);
                _telemetry.AlertPushes.Add(1, new KeyValuePair<string, object?>("outcome", "delivered"));
                LogDelivered(_logger, alert.Id, alert.Kind, alert.Score);
                continue;
            }
            var wait = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(due.Attempts, 20)));
            await _store.DeferEarlyAlertPushAsync(alert.Id, due.Due, now + wait, CancellationToken.None);
            _telemetry.AlertPushes.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            LogFailed(_logger, alert.Id, due.Attempts + 1, wait.TotalSeconds, error);
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        _poked.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Early-warning webhook: alert {AlertId} ({Kind}, score {Score}) delivered")]
    private static partial void LogDelivered(ILogger logger, string alertId, string kind, double score);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Early-warning webhook: alert {AlertId} not delivered ({Attempts} round(s)); next try in {Seconds} s: {Error}")]
    private static partial void LogFailed(ILogger logger, string alertId, int attempts, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "An early-warning webhook round failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
