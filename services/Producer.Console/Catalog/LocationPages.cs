namespace Traceability.ProducerConsole.Catalog;

/// <summary>Farms, growing areas, processing sites, warehouses, shops.</summary>
internal static class LocationPages
{
    public static void MapLocationPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/locations", ListAsync);
        console.MapGet("/locations/new", () => Form(new Dictionary<string, string?>(), new FieldErrors()));
        console.MapPost("/locations/new", CreateAsync);
    }

    /// <summary>The kinds of place, in the form's order; each one's name is the text LocationKind_{code}.</summary>
    internal static readonly string[] KindCodes = ["farm", "growing_area", "processing", "warehouse", "store", "other"];

    /// <summary>The form's fields, in the API's names.</summary>
    internal static readonly string[] Fields = ["code", "name", "kind", "address", "province", "latitude", "longitude", "gln"];

    private static async Task<IResult> ListAsync(HttpContext ctx, ICatalogStore catalog) =>
        PageResult.Of<LocationList>(new { Locations = await catalog.ListLocationsAsync(ctx.User.ProducerId()!, ctx.RequestAborted) });

    private static IResult Form(IReadOnlyDictionary<string, string?> v, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        PageResult.Of<LocationForm>(new { Values = v, Errors = errors }, status);

    private static async Task<IResult> CreateAsync(HttpContext ctx, CatalogService catalog, IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var values = Fields.ToDictionary(k => k, k => form.Get(k));
        var errors = new FieldErrors();
        var latitude = Number(values["latitude"], "latitude", errors, texts);
        var longitude = Number(values["longitude"], "longitude", errors, texts);
        if (errors.Count > 0) return Form(values, errors, StatusCodes.Status400BadRequest);
        var outcome = await catalog.AddLocationAsync(ctx.User.ProducerId()!, new LocationRequest(values["code"], values["name"], values["kind"],
            values["address"], values["province"], latitude, longitude, values["gln"]), ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect("/console/locations")
            : Form(values, ProductPages.ErrorsOf(outcome, "code"), ProductPages.Status(outcome));
    }

    /// <summary>Coordinates are typed as numbers; a comma decimal separator (Vietnamese habit) is accepted.</summary>
    internal static double? Number(string? text, string field, FieldErrors errors, IStringLocalizer<ConsoleTexts> texts)
    {
        if (text is null) return null;
        if (double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        errors.Add(field, texts["Locations_NotNumber"]);
        return null;
    }
}
