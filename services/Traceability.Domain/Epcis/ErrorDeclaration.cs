namespace Traceability.Domain.Epcis;

/// <summary>
/// The fields of an event's <c>errorDeclaration</c> (EPCIS 2.0 §7.4.1.5): when the error was declared,
/// why (CBV <c>ER-</c> term or a URI) and the events that correct it.
/// </summary>
public sealed record ErrorDeclaration(DateTimeOffset DeclarationTime, string? Reason, IReadOnlyList<string> CorrectiveEventIds)
{
    /// <summary>A reason as stored and queried: the bare CBV term (<c>incorrect_data</c>) for CBV terms and URIs, other values as given.</summary>
    public static string NormalizeReason(string reason) =>
        Cbv.TryNormalize(CbvVocabulary.ErrorReason, reason, out var term, out _) ? term : reason;

    /// <summary>Reads <paramref name="node"/>; false (with the path within errorDeclaration and a message) when it is not one.</summary>
    public static bool TryRead(JsonObject node, out ErrorDeclaration? declaration, out string errorPath, out string error)
    {
        declaration = null;
        errorPath = "errorDeclaration.declarationTime";
        if (node["declarationTime"] is not JsonValue time || time.GetValueKind() != JsonValueKind.String)
        {
            error = "An error declaration needs its declarationTime (a date-time with an offset).";
            return false;
        }
        if (!EpcisJson.TryParseTime(time.GetValue<string>(), out var declared, out var timeError))
        {
            error = timeError ?? "declarationTime is not a date-time.";
            return false;
        }
        string? reason = null;
        if (node.TryGetPropertyValue("reason", out var r) && r is not null)
        {
            errorPath = "errorDeclaration.reason";
            if (r is not JsonValue rv || rv.GetValueKind() != JsonValueKind.String || rv.GetValue<string>().Length == 0)
            {
                error = "reason must be a CBV error reason (did_not_occur, incorrect_data) or a URI.";
                return false;
            }
            reason = NormalizeReason(rv.GetValue<string>());
        }
        var corrective = new List<string>();
        if (node.TryGetPropertyValue("correctiveEventIDs", out var list) && list is not null)
        {
            errorPath = "errorDeclaration.correctiveEventIDs";
            if (list is not JsonArray items)
            {
                error = "correctiveEventIDs must be a list of eventIDs.";
                return false;
            }
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not JsonValue id || id.GetValueKind() != JsonValueKind.String || id.GetValue<string>().Length == 0)
                {
                    errorPath = $"errorDeclaration.correctiveEventIDs[{i}]";
                    error = "A corrective event is named by its eventID (a string).";
                    return false;
                }
                corrective.Add(id.GetValue<string>());
            }
        }
        errorPath = "";
        error = "";
        declaration = new ErrorDeclaration(declared, reason, corrective);
        return true;
    }
}
