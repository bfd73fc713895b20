namespace Traceability.ProducerConsole.Portal;

/// <summary>The retry form's path, the portal's refusal split into its code and message, and where a refused row is corrected (<see cref="PortalCell"/>).</summary>
internal static class PortalRows
{
    public const string RetryPath = "/console/portal/retry";

    /// <summary>The worker stores the portal's answer as "maLoi: thongBao"; other failures have no code.</summary>
    internal static (string? Code, string Message) Reason(string? lastError)
    {
        if (string.IsNullOrEmpty(lastError)) return (null, "");
        var colon = lastError.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && lastError[..colon].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
            ? (lastError[..colon], lastError[(colon + 2)..])
            : (null, lastError);
    }

    /// <summary>Where the producer corrects a refused row: a product's edit form, a lot's portal page.</summary>
    internal static string FixUrl(OutboxKind kind, string key) => kind switch
    {
        OutboxKind.Product => $"/console/products/{key}/edit",
        OutboxKind.Lot when key.Length > 21 => PortalPages.LotUrl(LotKey.GtinOf(key), LotKey.LotOf(key)),
        _ => "/console/lots",
    };
}
