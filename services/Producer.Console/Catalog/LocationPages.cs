using Microsoft.AspNetCore.Builder;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Ingestion.Api.Catalog;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>Farms, growing areas, processing sites, warehouses, shops.</summary>
internal static class LocationPages
{
    public static void MapLocationPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/locations", ListAsync);
        console.MapGet("/locations/new", (HttpContext ctx) => Form(Page.For(ctx), new Dictionary<string, string?>(), new FieldErrors()));
        console.MapPost("/locations/new", CreateAsync);
    }

    public static IEnumerable<(string Value, string Text)> Kinds(Page page) =>
    [
        ("farm", page.T("Trang trại", "Farm")),
        ("growing_area", page.T("Vùng trồng", "Growing area")),
        ("processing", page.T("Cơ sở sơ chế / chế biến", "Processing site")),
        ("warehouse", page.T("Kho", "Warehouse")),
        ("store", page.T("Cửa hàng / đại lý", "Shop / agent")),
        ("other", page.T("Khác", "Other")),
    ];

    private static async Task<IResult> ListAsync(HttpContext ctx, ICatalogStore catalog)
    {
        var page = Page.For(ctx);
        var locations = await catalog.ListLocationsAsync(page.ProducerId, ctx.RequestAborted);
        var kinds = Kinds(page).ToDictionary(k => k.Value, k => k.Text);
        var rows = locations.OrderBy(l => l.Name).Select(l => H($"""
            <tr><td>{l.Name}</td><td>{l.Code}</td><td>{kinds.GetValueOrDefault(l.Kind, l.Kind)}</td><td>{l.Province}</td>
            <td>{(l.Latitude is { } la && l.Longitude is { } lo ? $"{la.ToString(CultureInfo.InvariantCulture)}, {lo.ToString(CultureInfo.InvariantCulture)}" : "")}</td></tr>
            """));
        return page.Render(page.T("Địa điểm", "Locations"), H($"""
            <p><a class="button" href="/console/locations/new">{page.T("Thêm địa điểm", "Add a location")}</a></p>
            {(locations.Count == 0 ? H($"<p>{page.T("Chưa có địa điểm nào.", "No locations yet.")}</p>") : H($"""
            <div class="table"><table>
            <thead><tr><th scope="col">{page.T("Tên", "Name")}</th><th scope="col">{page.T("Mã", "Code")}</th><th scope="col">{page.T("Loại", "Kind")}</th>
            <th scope="col">{page.T("Tỉnh", "Province")}</th><th scope="col">{page.T("Toạ độ", "Coordinates")}</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """))}
            """));
    }

    private static IResult Form(Page page, IReadOnlyDictionary<string, string?> v, FieldErrors errors, int status = StatusCodes.Status200OK)
    {
        var shown = new[] { "code", "name", "kind", "address", "province", "latitude", "longitude", "gln" };
        return page.Render(page.T("Thêm địa điểm", "Add a location"), H($"""
            {page.Summary(errors, shown)}
            <form method="post" action="/console/locations/new" class="card">{page.Csrf()}
            {page.Input("name", page.T("Tên địa điểm", "Name"), v.GetValueOrDefault("name"), errors, required: true)}
            {page.Input("code", page.T("Mã địa điểm", "Code"), v.GetValueOrDefault("code"), errors, required: true,
                hint: page.T("Mã ngắn, không dấu, vd. VT-PHULUU", "A short code without accents, e.g. VT-PHULUU"), attributes: Raw("autocapitalize=\"characters\""))}
            {page.Select("kind", page.T("Loại", "Kind"), Kinds(page), v.GetValueOrDefault("kind"), errors, required: true, placeholder: page.T("— chọn —", "— choose —"))}
            {page.Input("address", page.T("Địa chỉ", "Address"), v.GetValueOrDefault("address"), errors)}
            {page.Input("province", page.T("Tỉnh / thành phố", "Province"), v.GetValueOrDefault("province"), errors)}
            <fieldset><legend>{page.T("Toạ độ (tuỳ chọn)", "Coordinates (optional)")}</legend>
            <div class="grid">
            {page.Input("latitude", page.T("Vĩ độ", "Latitude"), v.GetValueOrDefault("latitude"), errors, "number", hint: page.T("vd. 21.8236", "e.g. 21.8236"), attributes: Raw("step=\"any\" min=\"-90\" max=\"90\" inputmode=\"decimal\""))}
            {page.Input("longitude", page.T("Kinh độ", "Longitude"), v.GetValueOrDefault("longitude"), errors, "number", hint: page.T("vd. 105.2280", "e.g. 105.2280"), attributes: Raw("step=\"any\" min=\"-180\" max=\"180\" inputmode=\"decimal\""))}
            </div>
            <button type="button" id="here" hidden>{page.T("Dùng vị trí hiện tại", "Use my current position")}</button>
            </fieldset>
            {page.Input("gln", page.T("GLN (nếu có)", "GLN (if any)"), v.GetValueOrDefault("gln"), errors, attributes: Raw("inputmode=\"numeric\""))}
            <button type="submit">{page.T("Lưu", "Save")}</button>
            </form>
            """), status);
    }

    private static async Task<IResult> CreateAsync(HttpContext ctx, CatalogService catalog)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var values = new[] { "code", "name", "kind", "address", "province", "latitude", "longitude", "gln" }
            .ToDictionary(k => k, k => form.Get(k));
        var errors = new FieldErrors();
        var latitude = Number(values["latitude"], "latitude", errors, page);
        var longitude = Number(values["longitude"], "longitude", errors, page);
        if (errors.Count > 0) return Form(page, values, errors, StatusCodes.Status400BadRequest);
        var outcome = await catalog.AddLocationAsync(page.ProducerId, new LocationRequest(values["code"], values["name"], values["kind"],
            values["address"], values["province"], latitude, longitude, values["gln"]), ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect("/console/locations")
            : Form(page, values, ProductPages.ErrorsOf(outcome, "code"), ProductPages.Status(outcome));
    }

    /// <summary>Coordinates are typed as numbers; a comma decimal separator (Vietnamese habit) is accepted.</summary>
    internal static double? Number(string? text, string field, FieldErrors errors, Page page)
    {
        if (text is null) return null;
        if (double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        errors.Add(field, page.T("Phải là một số, vd. 21.8236.", "Must be a number, e.g. 21.8236."));
        return null;
    }
}
