using System.ComponentModel.DataAnnotations;

namespace Traceability.Ingestion.Api.Epcis.Subscriptions;

/// <summary>Webhook and WebSocket subscriptions to named queries (section "Subscriptions").</summary>
public sealed class SubscriptionOptions
{
    public const string SectionName = "Subscriptions";

    /// <summary>
    /// Hosts (<c>name</c> or <c>name:port</c>) that may receive webhooks although they are, or resolve
    /// to, loopback, private, link-local or other non-public addresses. Empty by default: a
    /// subscription cannot make the service call into the province's own network.
    /// </summary>
    public List<string> AllowedPrivateHosts { get; set; } = [];

    /// <summary>How often due subscriptions are looked at (and a WebSocket stream polls).</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>Events per webhook call; a larger backlog goes in several calls.</summary>
    [Range(1, 1000)]
    public int MaxEventsPerDelivery { get; set; } = 100;

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Webhook subscriptions one named query may have.</summary>
    [Range(1, 1000)]
    public int MaxPerQuery { get; set; } = 20;

    /// <summary>
    /// Events recorded in the last this many seconds wait for the next round: a capture stamps its
    /// record time before it commits, so a batch still committing is not skipped by the cursor.
    /// </summary>
    [Range(0, 600)]
    public int SettleSeconds { get; set; } = 5;

    /// <summary>The longest wait between attempts after failures (they double from 2 s).</summary>
    [Range(1, 86400)]
    public int MaxBackoffSeconds { get; set; } = 300;
}
