using System.Net.WebSockets;
using Microsoft.AspNetCore.DataProtection;
using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Ingestion.Api.Epcis.Subscriptions;

/// <summary>
/// Subscriptions to a named query (REST binding <c>/queries/{name}/subscriptions</c> and the
/// WebSocket form of <c>/queries/{name}/events</c>): webhooks delivered by <see cref="WebhookDelivery"/>,
/// and a WebSocket stream that sends each new batch as a text message while the socket is open.
/// A webhook either streams (<c>stream: true</c>) or follows a <see cref="QuerySchedule"/>.
/// </summary>
public static class SubscriptionsApi
{
    private const int MaxBodyBytes = 16 * 1024;

    internal static void MapSubscriptions(this RouteGroupBuilder group)
    {
        // The policy is the queries group's (EpcisNamedQueries).
        group.MapPost("/queries/{queryName}/subscriptions", Create).WithName("Subscribe")
            .WithSummary("Subscribe a webhook to a named query: {\"dest\": \"https://…\", \"signatureToken\": \"…\", \"stream\": true}.")
            .Accepts<object>("application/json").WithUploadLimits(null);
        group.MapGet("/queries/{queryName}/subscriptions", List).WithName("ListSubscriptions")
            .WithSummary("A named query's webhook subscriptions, with their delivery state.");
        group.MapGet("/queries/{queryName}/subscriptions/{subscriptionID}", Get).WithName("GetSubscription")
            .WithSummary("One subscription and its delivery state (lastDeliveryAt, lastError, failures).");
        group.MapDelete("/queries/{queryName}/subscriptions/{subscriptionID}", Delete).WithName("Unsubscribe")
            .WithSummary("Delete a subscription.");
    }

    private static async Task<Results<Created<JsonObject>, AnyProblem>> Create(string queryName, HttpRequest request, ClaimsPrincipal user, INamedQueryStore queries,
        ISubscriptionStore subscriptions, WebhookDestinations destinations, IDataProtectionProvider protection,
        IOptions<SubscriptionOptions> options, TimeProvider time, CancellationToken ct)
    {
        var owner = EpcisNamedQueries.Owner(user);
        if (await queries.GetNamedQueryAsync(owner, queryName, ct) is null) return (AnyProblem)EpcisNamedQueries.NotFound(queryName);
        var (document, problem) = await JsonBody.ReadDocumentAsync(request, MaxBodyBytes);
        if (problem is not null) return problem;
        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (AnyProblem)Problem.Validation("$", "Send an object: {\"dest\": \"https://…\", \"stream\": true}.");
            var errors = new ValidationErrors();
            var dest = String(root, "dest");
            if (destinations.Refusal(dest) is { } refusal) errors.Add("dest", refusal);
            var streams = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
            QuerySchedule? schedule = null;
            if (root.TryGetProperty("schedule", out var scheduleJson))
            {
                if (streams) errors.Add("stream", "Give stream or a schedule, not both.");
                schedule = QuerySchedule.Parse(scheduleJson, errors);
            }
            else if (!streams)
                errors.Add("stream", "Set \"stream\": true to get events as they are recorded, or give a schedule (the binding requires one of them).");
            var token = String(root, "signatureToken");
            if (root.TryGetProperty("signatureToken", out var t) && (t.ValueKind != JsonValueKind.String || token!.Length is 0 or > 256))
                errors.Add("signatureToken", "Give 1 to 256 characters, or leave it out for unsigned deliveries.");
            var reportIfEmpty = root.TryGetProperty("reportIfEmpty", out var r) && r.ValueKind == JsonValueKind.True;
            if (!TrySince(String(root, "initialRecordTime"), time, out var since)) errors.Add("initialRecordTime", SinceHint);
            if (!errors.IsValid) return (AnyProblem)Problem.Validation(errors);
            if ((await subscriptions.ListSubscriptionsAsync(owner, queryName, ct)).Count >= options.Value.MaxPerQuery)
                return (AnyProblem)Problem.Conflict($"This query has {options.Value.MaxPerQuery} subscriptions, the most it may have: delete one first.");

            var now = time.GetUtcNow();
            var subscription = new Subscription("sub_" + Guid.NewGuid().ToString("N"), owner, queryName, dest!,
                token is null ? null : WebhookDelivery.SignatureTokens(protection).Protect(token), reportIfEmpty, now, since,
                NextAttemptAt: schedule?.Next(now), Schedule: schedule is null ? null : QuerySchedule.Canonical(scheduleJson));
            if (schedule is not null && subscription.NextAttemptAt is null)
                return (AnyProblem)Problem.Validation("schedule", "This schedule never comes in the next five years (e.g. 31 February).");
            await subscriptions.AddSubscriptionAsync(subscription, ct);
            return TypedResults.Created($"/epcis/queries/{queryName}/subscriptions/{subscription.Id}", Describe(subscription));
        }
    }

    private static async Task<Results<JsonHttpResult<JsonArray>, ProblemHttpResult>> List(string queryName, ClaimsPrincipal user, INamedQueryStore queries, ISubscriptionStore subscriptions,
        CancellationToken ct)
    {
        var owner = EpcisNamedQueries.Owner(user);
        if (await queries.GetNamedQueryAsync(owner, queryName, ct) is null) return EpcisNamedQueries.NotFound(queryName);
        return TypedResults.Json(new JsonArray([.. (await subscriptions.ListSubscriptionsAsync(owner, queryName, ct)).Select(Describe)]));
    }

    private static async Task<Results<JsonHttpResult<JsonObject>, ProblemHttpResult>> Get(string queryName, string subscriptionID, ClaimsPrincipal user, ISubscriptionStore subscriptions,
        CancellationToken ct) =>
        await subscriptions.GetSubscriptionAsync(subscriptionID, ct) is { } s && s.Owner == EpcisNamedQueries.Owner(user) && s.QueryName == queryName
            ? TypedResults.Json(Describe(s))
            : Problem.NotFound($"Query '{queryName}' has no subscription '{subscriptionID}'.");

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string queryName, string subscriptionID, ClaimsPrincipal user, ISubscriptionStore subscriptions,
        CancellationToken ct) =>
        await subscriptions.GetSubscriptionAsync(subscriptionID, ct) is { } s && s.QueryName == queryName
            && await subscriptions.DeleteSubscriptionAsync(EpcisNamedQueries.Owner(user), subscriptionID, ct)
            ? TypedResults.NoContent()
            : Problem.NotFound($"Query '{queryName}' has no subscription '{subscriptionID}'.");

    /// <summary>
    /// GET /epcis/queries/{name}/events?stream=true as a WebSocket: from now (or initialRecordTime)
    /// on, each settled batch of matching events is sent as an EPCISQueryDocument text message.
    /// </summary>
    internal static async Task<IResult> StreamAsync(HttpContext context, NamedQuery saved, IEventStore events, SubscriptionOptions options,
        TimeProvider time, CancellationToken ct)
    {
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(k => k is not ("stream" or "initialRecordTime")) is { } other)
            return Problem.Validation(other, "A WebSocket stream takes stream=true and, optionally, initialRecordTime; schedules are for webhooks (POST /epcis/queries/{name}/subscriptions).");
        if (query["stream"] != "true") return Problem.Validation("stream", "Add stream=true to receive events as they are recorded.");
        if (!TrySince(query["initialRecordTime"].ToString(), time, out var since)) return Problem.Validation("initialRecordTime", SinceHint);
        var parsed = EpcisNamedQueries.Parse(saved);
        if (!parsed.IsOk) return parsed.ToProblem();

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // The client sends nothing but a close: reading is how a close (or a dropped client) is seen.
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[256];
            try
            {
                while (socket.State == WebSocketState.Open && (await socket.ReceiveAsync(buffer, closed.Token)).MessageType != WebSocketMessageType.Close) { }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            await closed.CancelAsync();
        }, CancellationToken.None);
        string? cursor = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PollSeconds), time);
        try
        {
            do
            {
                var now = time.GetUtcNow();
                var page = await events.QueryEventsAsync(SubscriptionQueries.Next(parsed.Value!, cursor, since, now, options), closed.Token);
                if (page.Events.Count == 0)
                {
                    cursor = page.NextPageToken ?? cursor; // past events read that the query's filter rejected
                    continue;
                }
                var message = EpcisJson.WriteQueryDocument(page.Events.Select(e => e.Json), saved.Name, now);
                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, closed.Token);
                cursor = page.NextPageToken;
            } while (await timer.WaitForNextTickAsync(closed.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try { await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None); }
            catch (WebSocketException) { }
        }
        await reader;
        return Results.Empty;
    }

    private const string SinceHint = "Give a date-time with its offset, e.g. 2026-12-01T00:00:00+07:00.";

    /// <summary>initialRecordTime: events recorded from then on; absent, from now.</summary>
    private static bool TrySince(string? initial, TimeProvider time, out DateTimeOffset since)
    {
        since = time.GetUtcNow();
        return string.IsNullOrEmpty(initial)
            || DateTimeOffset.TryParse(initial, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out since);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static JsonObject Describe(Subscription s) => new()
    {
        ["subscriptionID"] = s.Id,
        ["queryName"] = s.QueryName,
        ["dest"] = s.Destination,
        ["stream"] = s.Schedule is null,
        ["schedule"] = s.Schedule is null ? null : JsonNode.Parse(s.Schedule),
        ["reportIfEmpty"] = s.ReportIfEmpty,
        ["signed"] = s.ProtectedSignatureToken is not null,
        ["createdAt"] = s.CreatedAt,
        ["initialRecordTime"] = s.Since,
        ["lastDeliveryAt"] = s.LastDeliveryAt,
        ["lastError"] = s.LastError,
        ["failures"] = s.Failures,
        ["nextAttemptAt"] = s.NextAttemptAt,
    };
}
