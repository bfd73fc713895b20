namespace Traceability.ProducerConsole.Tests;

internal static class Epcis
{
    public static string ClassUri(string gtin14, string lot) => $"https://id.gs1.org/01/{gtin14}/10/{lot}";

    /// <summary>Every event matching the query, following GS1-Next-Page-Token.</summary>
    public static async Task<List<JsonObject>> QueryAllAsync(HttpClient api, string query)
    {
        var all = new List<JsonObject>();
        string? token = null;
        do
        {
            var url = "/epcis/events?" + query + (token is null ? "" : "&nextPageToken=" + Uri.EscapeDataString(token));
            var response = await api.GetAsync(url);
            response.EnsureSuccessStatusCode();
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            all.AddRange(body["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray().Select(e => e!.AsObject()));
            token = response.Headers.TryGetValues("GS1-Next-Page-Token", out var values) ? values.First() : null;
        } while (token is not null);
        return all;
    }
}
