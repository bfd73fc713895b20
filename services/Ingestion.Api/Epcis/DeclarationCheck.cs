namespace Traceability.Ingestion.Api.Epcis;

/// <summary>The check of a capture's error declarations (corrections) against the events they repeat.</summary>
internal sealed class DeclarationCheck(IEventStore events)
{
    /// <summary>
    /// An event with <c>errorDeclaration</c> is an error declaration (EPCIS 2.0 §7.4.1.5): the event
    /// stored under its eventID, repeated. The event must be stored (or earlier in this capture) and be
    /// this producer's; its content, but for errorDeclaration, must be the stored one's. The same
    /// declaration again is a duplicate; another declaration for a declared event is refused.
    /// </summary>
    public async Task<CaptureCheckResult> CheckAsync(string producerId, IReadOnlyList<CaptureCandidate> list, string? listName, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var foreign = new ValidationErrors();
        var declarations = list.Where(c => c.Event.ErrorDeclaration is not null).ToList();
        if (declarations.Count == 0) return new CaptureCheckResult(errors);
        var existing = (await events.GetEventsAsync([.. declarations.Select(c => c.Event.EventId).Distinct()], ct)).ToDictionary(e => e.EventId);
        var inCapture = list.Where(c => c.Event.ErrorDeclaration is null).GroupBy(c => c.Event.EventId).ToDictionary(g => g.Key, g => g.First().Event);
        string? conflict = null;
        string Field(int position, string field) => listName is null ? field : $"{listName}[{position}].{field}";
        foreach (var (position, e) in declarations)
        {
            var path = CaptureChecks.PathOf(position, listName);
            if (!ErrorDeclaration.TryRead(e.ErrorDeclaration!, out _, out var errorPath, out var error))
            {
                errors.Add(Field(position, errorPath), error);
                continue;
            }
            string original;
            if (existing.TryGetValue(e.EventId, out var stored))
            {
                if (stored.ProducerId != producerId)
                {
                    foreign.Add(path, $"Event {path} declares an error in event '{e.EventId}', which another producer captured: only its producer may correct it.");
                    continue;
                }
                original = stored.Json;
            }
            else if (inCapture.TryGetValue(e.EventId, out var earlier)) original = earlier.ToJson();
            else
            {
                errors.Add(Field(position, "eventID"),
                    $"Event {path} is an error declaration (errorDeclaration) for event '{e.EventId}', which is not stored. " +
                    "An error declaration repeats a stored event with its eventID: capture the event first, or leave errorDeclaration out of a new event.");
                continue;
            }
            var was = CaptureChecks.WithoutRecordTime(original)!;
            var now = CaptureChecks.WithoutRecordTime(e.ToJson())!;
            if (was.ContainsKey("errorDeclaration"))
            {
                if (JsonNode.DeepEquals(was["errorDeclaration"], now["errorDeclaration"])) continue; // the same declaration again: a duplicate
                conflict = $"Event '{e.EventId}' has an error declaration already, with other content; a declaration cannot be changed. " +
                           "Correct further with new corrective events.";
                errors.Add(Field(position, "errorDeclaration"), conflict);
                continue;
            }
            foreach (var (field, message) in Differences(was, now))
            {
                errors.Add(Field(position, field),
                    $"An error declaration must repeat event '{e.EventId}' as stored, with only errorDeclaration added; {field} {message}");
            }
        }
        return new CaptureCheckResult(errors, foreign, conflict);
    }

    /// <summary>The top-level fields in which a declaration differs from the stored event (errorDeclaration and recordTime aside).</summary>
    private static IEnumerable<(string Field, string Message)> Differences(JsonObject stored, JsonObject declared)
    {
        static string Show(JsonNode? n)
        {
            var text = n?.ToJsonString() ?? "absent";
            return text.Length > 120 ? text[..117] + "..." : text;
        }
        var storedContext = stored["@context"];
        var declaredContext = declared["@context"];
        foreach (var name in stored.Select(p => p.Key).Union(declared.Select(p => p.Key)).Where(n => n is not ("errorDeclaration" or "@context")))
        {
            var a = stored[name];
            var b = declared[name];
            if (!stored.ContainsKey(name)) yield return (name, $"is not in the stored event (declared: {Show(b)}).");
            else if (!declared.ContainsKey(name)) yield return (name, $"is missing (stored: {Show(a)}).");
            else if (!JsonNode.DeepEquals(a, b)) yield return (name, $"differs (stored: {Show(a)}, declared: {Show(b)}).");
        }
        // The namespace prefixes the stored event uses must mean the same; the declaration may add its own (for its extensions).
        if (storedContext is JsonArray sc && sc.OfType<JsonObject>().SelectMany(o => o).Any(p =>
                !(declaredContext is JsonArray dc && dc.OfType<JsonObject>().Any(o => o.TryGetPropertyValue(p.Key, out var v) && JsonNode.DeepEquals(v, p.Value)))))
            yield return ("@context", $"names another namespace for a prefix of the stored event (stored: {Show(storedContext)}, declared: {Show(declaredContext)}).");
    }
}
