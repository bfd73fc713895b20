using Traceability.Domain;
using Microsoft.AspNetCore.Builder;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Domain.DigitalLinks;
using Traceability.Domain.Gs1;
using Traceability.Ingestion.Api.Catalog;
using Traceability.ProducerConsole.Portal;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>Lots: create, and the list with each lot's status and its sync state with the national portal.</summary>
internal static class LotPages
{
    public static void MapLotPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/lots", ListAsync);
        console.MapGet("/lots/new", async (HttpContext ctx, ICatalogStore catalog) =>
            await FormAsync(Page.For(ctx), catalog, new Dictionary<string, string?> { ["gtin"] = ctx.Request.Query["gtin"] }, new FieldErrors()));
        console.MapPost("/lots/new", CreateAsync);
    }

    /// <summary>Today in Vietnam (UTC+7 all year, no daylight saving).</summary>
    internal static DateOnly Today(TimeProvider time) => VietnamTime.Today(time.GetUtcNow());

    /// <summary>A lot's value in pickers: the 14-digit GTIN, a colon, the lot number.</summary>
    internal static string PickerValue(Lot l) => l.Gtin + ":" + l.LotNumber;

    internal static bool TryParsePicker(string? value, out string gtin14, out string lot)
    {
        gtin14 = lot = "";
        if (value is null || value.Length < 16 || value[14] != ':') return false;
        gtin14 = value[..14];
        lot = value[15..];
        return true;
    }

    internal static async Task<IReadOnlyList<(string Value, string Text)>> LotOptionsAsync(Page page, ICatalogStore catalog, CancellationToken ct)
    {
        var lots = await catalog.ListLotsAsync(page.ProducerId, 500, ct);
        var products = (await catalog.ListProductsAsync(page.ProducerId, ct)).ToDictionary(p => p.Gtin);
        return lots.OrderByDescending(l => l.CreatedAt)
            .Select(l => (PickerValue(l), $"{l.LotNumber} · {(products.TryGetValue(l.Gtin, out var p) ? p.Name.For(page.Ui.Lang) : l.Gtin)}"))
            .ToList();
    }

    internal static async Task<IReadOnlyList<(string Value, string Text)>> LocationOptionsAsync(Page page, ICatalogStore catalog, CancellationToken ct) =>
        (await catalog.ListLocationsAsync(page.ProducerId, ct)).OrderBy(l => l.Name).Select(l => (l.Code, $"{l.Name} ({l.Code})")).ToList();

    private static async Task<IResult> ListAsync(HttpContext ctx, ICatalogStore catalog, IOutboxStore outbox, IRecallStore recalls, TimeProvider time)
    {
        var page = Page.For(ctx);
        var portal = new PortalStates(outbox, ctx.RequestAborted);
        var lots = await catalog.ListLotsAsync(page.ProducerId, 500, ctx.RequestAborted);
        var products = (await catalog.ListProductsAsync(page.ProducerId, ctx.RequestAborted)).ToDictionary(p => p.Gtin);
        var today = Today(time);
        var rows = new List<Html>();
        foreach (var l in lots.OrderByDescending(l => l.CreatedAt))
        {
            var (statusClass, statusText) = await StatusAsync(page, recalls, l, today, ctx.RequestAborted);
            var recalled = statusClass == Recalled;
            var sync = await portal.OfAsync(OutboxKind.Lot, l.Key);
            var link = new DigitalLink(Gtin.Parse(l.Gtin), Lot: l.LotNumber).Path;
            rows.Add(H($"""
                <tr><td data-label="{page.T("Số lô", "Lot")}"><a href="{link}">{l.LotNumber}</a></td><td data-label="{page.T("Sản phẩm", "Product")}">{(products.TryGetValue(l.Gtin, out var p) ? p.Name.For(page.Ui.Lang) : l.Gtin)}</td>
                <td data-label="{page.T("Hạn sử dụng", "Expiry")}">{Date(l.ExpiryDate)}</td>
                <td data-label="{page.T("Trạng thái", "Status")}" class="status-{statusClass}">{statusText}</td>
                <td data-label="{page.T("Cổng quốc gia", "National portal")}">{PortalCell.Render(page, sync, page.T("lô ", "lot ") + l.LotNumber, "/console/lots")}
                <a href="{PortalPages.LotUrl(l.Gtin, l.LotNumber)}">{page.T("Chi tiết", "Details")}<span class="visually-hidden"> {l.LotNumber}</span></a></td>
                <td data-label="{page.T("Thao tác", "Actions")}"><a href="{LotPage.Url(l.Gtin, l.LotNumber)}">{page.T("Trang lô", "Lot page")}<span class="visually-hidden"> {l.LotNumber}</span></a> ·
                <a href="/console/events/new?lot={Uri.EscapeDataString(PickerValue(l))}">{page.T("Ghi sự kiện", "Record event")}</a> ·
                <a href="/console/labels?lot={Uri.EscapeDataString(PickerValue(l))}">{page.T("In tem", "Labels")}</a> ·
                <a href="/console/lots/{l.Gtin}/{Uri.EscapeDataString(l.LotNumber)}/export.csv">CSV</a> · <a href="{RecallPages.Url(l.Gtin, l.LotNumber)}">{(recalled ? page.T("Xem thu hồi", "View recall") : page.T("Thu hồi lô", "Recall lot"))}<span class="visually-hidden"> {l.LotNumber}</span></a></td></tr>
                """));
        }
        return page.Render(page.T("Lô hàng", "Lots"), H($"""
            <p><a class="button" href="/console/lots/new">{page.T("Tạo lô hàng", "Create a lot")}</a></p>
            {(lots.Count == 0 ? H($"<p>{page.T("Chưa có lô hàng nào.", "No lots yet.")}</p>") : H($"""
            <div class="table rows"><table>
            <thead><tr><th scope="col">{page.T("Số lô", "Lot")}</th><th scope="col">{page.T("Sản phẩm", "Product")}</th>
            <th scope="col">{page.T("Hạn sử dụng", "Expiry")}</th><th scope="col">{page.T("Trạng thái", "Status")}</th>
            <th scope="col">{page.T("Đồng bộ Cổng quốc gia", "National portal sync")}</th><th scope="col">{page.T("Thao tác", "Actions")}</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """))}
            """));
    }

    /// <summary>The status classes (<c>status-…</c> in console.css): a recall outranks expiry, as on the public page.</summary>
    internal const string Recalled = "recalled", Expired = "expired", Active = "active";

    internal static async Task<(string Class, string Text)> StatusAsync(Page page, IRecallStore recalls, Lot l, DateOnly today, CancellationToken ct) =>
        await RecallPages.IsRecalledAsync(recalls, l, ct) ? (Recalled, page.T("Đã thu hồi", "Recalled"))
        : l.ExpiryDate is { } e && e < today ? (Expired, page.T("Hết hạn", "Expired"))
        : (Active, page.T("Đang lưu hành", "Active"));

    internal static string Date(DateOnly? d) => d?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "";

    private static async Task<IResult> FormAsync(Page page, ICatalogStore catalog, IReadOnlyDictionary<string, string?> v, FieldErrors errors,
        int status = StatusCodes.Status200OK)
    {
        var ct = page.Context.RequestAborted;
        var products = (await catalog.ListProductsAsync(page.ProducerId, ct)).OrderBy(p => p.Name.Vi)
            .Select(p => (p.Gtin, $"{p.Name.For(page.Ui.Lang)} ({p.Gtin})"));
        var locations = await LocationOptionsAsync(page, catalog, ct);
        var shown = new[] { "gtin", "lot", "productionDate", "expiryDate", "quantity", "uom", "originLocation" };
        return page.Render(page.T("Tạo lô hàng", "Create a lot"), H($"""
            {page.Summary(errors, shown)}
            <form method="post" action="/console/lots/new" class="card">{page.Csrf()}
            {page.Select("gtin", page.T("Sản phẩm", "Product"), products, v.GetValueOrDefault("gtin"), errors, required: true, placeholder: page.T("— chọn —", "— choose —"))}
            {page.Input("lot", page.T("Số lô", "Lot number"), v.GetValueOrDefault("lot"), errors, required: true,
                hint: page.T("Tối đa 20 ký tự: chữ không dấu, số, - . /", "Up to 20 characters: letters, digits, - . /"), attributes: Raw("autocapitalize=\"characters\" autocomplete=\"off\""))}
            <div class="grid">
            {page.Input("productionDate", page.T("Ngày sản xuất", "Production date"), v.GetValueOrDefault("productionDate"), errors, "date")}
            {page.Input("expiryDate", page.T("Hạn sử dụng", "Expiry date"), v.GetValueOrDefault("expiryDate"), errors, "date")}
            {page.Input("quantity", page.T("Số lượng", "Quantity"), v.GetValueOrDefault("quantity"), errors, "number", attributes: Raw("step=\"any\" min=\"0\" inputmode=\"decimal\""))}
            {page.Input("uom", page.T("Đơn vị", "Unit"), v.GetValueOrDefault("uom"), errors, hint: page.T("vd. hộp, kg", "e.g. box, kg"))}
            </div>
            {page.Select("originLocation", page.T("Nơi sản xuất / vùng trồng", "Origin (farm or growing area)"), locations, v.GetValueOrDefault("originLocation"), errors, placeholder: page.T("— không chọn —", "— none —"))}
            <button type="submit">{page.T("Lưu", "Save")}</button>
            </form>
            """), status);
    }

    private static async Task<IResult> CreateAsync(HttpContext ctx, CatalogService service, ICatalogStore catalog)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var v = new[] { "gtin", "lot", "productionDate", "expiryDate", "quantity", "uom", "originLocation" }.ToDictionary(k => k, k => form.Get(k));
        var errors = new FieldErrors();
        var made = DateField(v["productionDate"], "productionDate", errors, page);
        var expires = DateField(v["expiryDate"], "expiryDate", errors, page);
        decimal? quantity = null;
        if (v["quantity"] is { } q)
        {
            if (decimal.TryParse(q.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) quantity = d;
            else errors.Add("quantity", page.T("Phải là một số.", "Must be a number."));
        }
        if (errors.Count > 0) return await FormAsync(page, catalog, v, errors, StatusCodes.Status400BadRequest);
        var outcome = await service.AddLotAsync(page.ProducerId, new LotRequest(v["gtin"], v["lot"], made, expires, quantity, v["uom"], v["originLocation"]),
            ctx.RequestAborted);
        if (outcome.IsOk) return Results.Redirect("/console/lots");
        var field = outcome.Kind == Traceability.ServiceDefaults.Problems.OutcomeKind.Conflict ? "lot" : "gtin";
        return await FormAsync(page, catalog, v, ProductPages.ErrorsOf(outcome, field), ProductPages.Status(outcome));
    }

    private static DateOnly? DateField(string? text, string field, FieldErrors errors, Page page)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        errors.Add(field, page.T("Ngày không hợp lệ (dd/mm/yyyy).", "Not a valid date (yyyy-mm-dd)."));
        return null;
    }
}
