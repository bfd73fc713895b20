using System.Text.Json.Nodes;

namespace Traceability.Storage;

/// <summary>How a stored event and its error declaration read back (the same on every provider).</summary>
public static class ErrorDeclarations
{
    /// <summary>
    /// The event in its declared state: the declaring event (the original repeated with
    /// <c>errorDeclaration</c>) with the original's recordTime, so a declared event keeps its place in
    /// query order (record time, then eventID) and paging never repeats it.
    /// </summary>
    public static string Declared(string originalJson, string declarationJson)
    {
        var declared = JsonNode.Parse(declarationJson)?.AsObject();
        if (declared is null) return originalJson;
        var recordTime = JsonNode.Parse(originalJson)?["recordTime"]?.DeepClone();
        if (recordTime is null) declared.Remove("recordTime");
        else declared["recordTime"] = recordTime;
        return declared.ToJsonString(WriteOptions);
    }

    private static readonly JsonSerializerOptions WriteOptions =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
