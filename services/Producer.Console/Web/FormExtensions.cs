namespace Traceability.ProducerConsole.Web;

/// <summary>Reads an urlencoded or multipart form after the anti-forgery check.</summary>
public static class FormExtensions
{
    public static string? Get(this IFormCollection form, string name) =>
        form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    public static string? UserName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name);
}
