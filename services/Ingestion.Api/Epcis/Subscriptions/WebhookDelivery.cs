using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Traceability.Ingestion.Api.Epcis.Subscriptions;

/// <summary>
/// Delivers webhook subscriptions: each round, for every due subscription with new matching events
/// (a scheduled one at its time, then with or without events as reportIfEmpty says),
/// takes its lease, posts an EPCISQueryDocument (queryName, subscriptionID) signed with
/// <c>GS1-Signature: sha256=HEX(HMAC-SHA256(signatureToken, body))</c>, and moves its cursor only
/// after a 2xx. So a crash or a failed call re-sends that batch (at least once), never skips one;
/// failures back off (2 s doubling up to Subscriptions:MaxBackoffSeconds) and show in GET
/// …/subscriptions/{id} as lastError. The cursor lives in the store, so any host continues it.
/// </summary>
public sealed partial class WebhookDelivery(
    ISubscriptionStore subscriptions, INamedQueryStore queries, IEventStore events, WebhookDestinations destinations,
    IDataProtectionProvider protection, IOptions<SubscriptionOptions> options, TimeProvider time, ILogger<WebhookDelivery> logger)
    : BackgroundService
{
    public const string SignatureHeader = "GS1-Signature";
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        ConnectCallback = destinations.ConnectAsync,
        // A redirect could lead anywhere (an internal host): the destination must answer itself.
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        UseProxy = false,
    }) { Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds) };

    internal IDataProtector Protector { get; } = SignatureTokens(protection);

    public static IDataProtector SignatureTokens(IDataProtectionProvider protection) =>
        protection.CreateProtector("Traceability.Subscriptions.SignatureToken.v1");

    public static string Sign(string token, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), body));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        try
        {
            do
            {
                try
                {
                    foreach (var due in await subscriptions.ListDueSubscriptionsAsync(time.GetUtcNow(), 200, stoppingToken))
                        await DeliverAsync(due, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(logger, e);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(Subscription s, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await queries.GetNamedQueryAsync(s.Owner, s.QueryName, ct) is not { } saved)
        {
            await subscriptions.DeleteSubscriptionAsync(s.Owner, s.Id, ct); // its query was deleted
            return;
        }
        var parsed = EpcisNamedQueries.Parse(saved);
        if (!parsed.IsOk) return; // checked when saved; a parser change could refuse it: nothing to send
        QuerySchedule? schedule = null;
        if (s.Schedule is not null)
        {
            using var json = JsonDocument.Parse(s.Schedule);
            schedule = QuerySchedule.Parse(json.RootElement, new());
        }
        var page = await events.QueryEventsAsync(SubscriptionQueries.Next(parsed.Value!, s.Cursor, s.Since, now, options.Value), ct);
        var backlog = page.Events.Count == options.Value.MaxEventsPerDelivery;
        // A backlog goes on at the next round; otherwise a scheduled subscription waits for its next time.
        DateTimeOffset? nextTime = schedule is null || backlog ? null : schedule.Next(now) ?? DateTimeOffset.MaxValue;
        if (page.Events.Count == 0 && !(schedule is not null && s.ReportIfEmpty))
        {
            // Nothing new: a stream writes nothing; a schedule moves to its next time. When the query's filter rejected
            // the events read, the cursor moves past them, so they are not read again every round.
            var skipped = page.NextPageToken is { } past && past != s.Cursor ? past : null;
            if ((schedule is not null || skipped is not null) && await subscriptions.TryLeaseSubscriptionAsync(s.Id, _holder, now, now.AddSeconds(30), ct))
            {
                var unchanged = (await subscriptions.GetSubscriptionAsync(s.Id, ct))?.Cursor == s.Cursor;
                await subscriptions.RecordDeliveryAsync(s.Id, unchanged ? skipped : null, null, s.LastError, s.Failures,
                    schedule is null ? s.NextAttemptAt : nextTime, ct);
            }
            return;
        }

        var lease = TimeSpan.FromSeconds(options.Value.TimeoutSeconds * 2 + 10);
        if (!await subscriptions.TryLeaseSubscriptionAsync(s.Id, _holder, now, now + lease, ct)) return;
        // Another host may have delivered this batch between the read and the lease.
        var current = await subscriptions.GetSubscriptionAsync(s.Id, ct);
        if (current is null) return;
        if (current.Cursor != s.Cursor)
        {
            await subscriptions.RecordDeliveryAsync(s.Id, null, null, current.LastError, current.Failures, current.NextAttemptAt, ct);
            return;
        }

        var body = Encoding.UTF8.GetBytes(EpcisJson.WriteQueryDocument(page.Events.Select(e => e.Json), s.QueryName, now, s.Id));
        using var request = new HttpRequestMessage(HttpMethod.Post, s.Destination) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/ld+json") { CharSet = "utf-8" };
        request.Headers.Add("GS1-EPCIS-Version", EpcisProtocol.EpcisVersion);
        request.Headers.Add("GS1-CBV-Version", EpcisProtocol.CbvVersion);
        if (s.ProtectedSignatureToken is { } protectedToken) request.Headers.Add(SignatureHeader, Sign(Protector.Unprotect(protectedToken), body));
        string error;
        try
        {
            using var response = await _client.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                await subscriptions.RecordDeliveryAsync(s.Id, page.NextPageToken, now, null, 0, nextTime, CancellationToken.None);
                LogDelivered(logger, s.Id, page.Events.Count);
                return;
            }
            error = $"The destination answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = e is TaskCanceledException ? $"No answer within {options.Value.TimeoutSeconds} s." : e.Message;
        }
        var failures = s.Failures + 1;
        var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(failures, 20)), options.Value.MaxBackoffSeconds));
        await subscriptions.RecordDeliveryAsync(s.Id, null, null, error, failures, now + wait, CancellationToken.None);
        LogFailed(logger, s.Id, failures, error);
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId}: delivered {Count} events")]
    private static partial void LogDelivered(ILogger logger, string subscriptionId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId}: delivery failed ({Failures} in a row): {Error}")]
    private static partial void LogFailed(ILogger logger, string subscriptionId, int failures, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscription delivery round failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
