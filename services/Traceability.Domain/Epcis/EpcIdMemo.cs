namespace Traceability.Domain.Epcis;

/// <summary>
/// The identifiers of one capture document, each parsed once. A producer's export names the same lot
/// class, read point and business location in dozens of events, and each occurrence was parsed again
/// to validate it, to build the event's keys and to make its location keys. Lives as long as the
/// document's events (bounded by the document's size); a lock, since an event's keys may be read later
/// from another thread than the one that parsed it.
/// </summary>
internal sealed class EpcIdMemo
{
    private readonly Dictionary<string, (bool Ok, EpcId Id, string? Error)> _parsed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool TryParse(string text, out EpcId id, out string? error)
    {
        (bool Ok, EpcId Id, string? Error) result;
        lock (_gate)
        {
            if (!_parsed.TryGetValue(text, out result))
            {
                var ok = EpcIdentifier.TryParse(text, out var parsed, out var problem);
                _parsed[text] = result = (ok, parsed, problem);
            }
        }
        (id, error) = (result.Id, result.Error);
        return result.Ok;
    }

    /// <summary>As <see cref="EpcIdentifier.ToLocationKey"/>, from the memo.</summary>
    public string LocationKey(string uri) => TryParse(uri, out var id, out _) ? id.Key : uri.Trim();
}
