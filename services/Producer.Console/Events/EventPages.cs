using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Ingestion.Api.Epcis;
using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Events;

/// <summary>Record an event in a few taps: lot, step, place, quantity, time (default now, Vietnam), note.</summary>
internal static class EventPages
{
    private static readonly string[] Fields = ["lot", "step", "location", "destination", "partnerGln", "quantity", "uom", "time", "note"];

    public static void MapEventPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/events/new", async (HttpContext ctx, ICatalogStore catalog, TimeProvider time) =>
        {
            var q = ctx.Request.Query;
            var values = new Dictionary<string, string?>
            {
                ["lot"] = q["lot"], ["step"] = q["step"].ToString() is { Length: > 0 } step ? step : NextStep(q["done"]),
                ["location"] = q["location"], ["time"] = EventForm.Now(time),
            };
            return await FormAsync(Page.For(ctx), catalog, values, new FieldErrors(), q["done"]);
        });
        console.MapPost("/events/new", RecordAsync);
    }

    /// <summary>After one step the form offers the usual next one: a harvest is packed next, then shipped…</summary>
    internal static string? NextStep(string? done) => done switch
    {
        "harvest" or "processing" => "packing",
        "packing" => "shipping",
        "shipping" => "receiving",
        "receiving" => "storing",
        "storing" => "retail",
        _ => null,
    };

    private static async Task<IResult> FormAsync(Page page, ICatalogStore catalog, IReadOnlyDictionary<string, string?> v, FieldErrors errors,
        string? done = null, int status = StatusCodes.Status200OK)
    {
        var ct = page.Context.RequestAborted;
        var lots = await LotPages.LotOptionsAsync(page, catalog, ct);
        var locations = await LotPages.LocationOptionsAsync(page, catalog, ct);
        var selectedStep = v.GetValueOrDefault("step") ?? "harvest";
        var steps = Step.All.Select(s => H($"""
            <label><input type="radio" name="step" value="{s.Key}"{When(s.Key == selectedStep, Raw(" checked"))}><span>{s.Label(page.Ui.Lang)}</span></label>
            """));
        return page.Render(page.T("Ghi sự kiện", "Record an event"), H($"""
            {EventForm.Done(page, done)}
            {page.Summary(errors, Fields)}
            {When(lots.Count == 0, H($"<p class=\"alert\">{page.T("Hãy tạo lô hàng trước.", "Create a lot first.")} <a href=\"/console/lots/new\">{page.T("Tạo lô hàng", "Create a lot")}</a></p>"))}
            <form method="post" action="/console/events/new" class="card">{page.Csrf()}
            {page.Select("lot", page.T("Lô hàng", "Lot"), lots, v.GetValueOrDefault("lot"), errors, required: true, placeholder: page.T("— chọn lô —", "— choose a lot —"))}
            <fieldset><legend>{page.T("Công đoạn", "Step")}</legend><div class="steps">{steps}</div>
            {When(errors.For("step").Any(), H($"<p class=\"error\">{string.Join(" ", errors.For("step"))}</p>"))}</fieldset>
            {page.Select("location", page.T("Địa điểm", "Place"), locations, v.GetValueOrDefault("location"), errors, placeholder: page.T("— không chọn —", "— none —"))}
            <fieldset><legend>{page.T("Nơi đến, đối tác", "Destination, partner")}</legend>
            {page.Select("destination", page.T("Nơi đến (nơi của bạn)", "Destination (one of your places)"), locations, v.GetValueOrDefault("destination"), errors,
                placeholder: page.T("— không chọn —", "— none —"), hint: page.T("Chỉ khi vận chuyển.", "Shipping only."))}
            {page.Input("partnerGln", page.T("GLN của đối tác", "Partner's GLN"), v.GetValueOrDefault("partnerGln"), errors,
                hint: page.T("13 chữ số. Vận chuyển: bên nhận hàng. Nhận hàng, bán lẻ: nơi của đối tác, nếu không phải địa điểm của bạn.",
                    "13 digits. Shipping: the receiving business. Receiving, retail: the partner's place, if not one of your locations."),
                attributes: Raw("inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"13\""))}
            </fieldset>
            {EventForm.QuantityTimeNote(page, v, errors, page.T("Số lượng", "Quantity"), page.T("Ghi sự kiện", "Record"))}
            </form>
            """), status);
    }

    private static async Task<IResult> RecordAsync(HttpContext ctx, ICatalogStore catalog, CaptureService capture, TimeProvider time)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var v = Fields.ToDictionary(f => f, f => form.Get(f));
        var errors = new FieldErrors();
        if (!LotPages.TryParsePicker(v["lot"], out var gtin, out var lot))
            errors.Add("lot", page.T("Hãy chọn lô hàng.", "Choose a lot."));
        var step = Step.Find(v["step"]);
        if (step is null) errors.Add("step", page.T("Hãy chọn công đoạn.", "Choose a step."));
        var quantity = EventForm.ParseQuantity(v["quantity"], "quantity", errors, page);
        var at = EventForm.ParseTime(v["time"], errors, page, time);
        var location = await EventForm.LocationIdAsync(page, catalog, v["location"], errors);
        var (destination, partnerPlace) = await EventForm.WhereAsync(page, catalog, step, v["destination"], v["partnerGln"], v["location"] is not null, errors);
        if (v["note"] is { Length: > 500 }) errors.Add("note", page.T("Tối đa 500 ký tự.", "At most 500 characters."));
        if (errors.Count == 0)
        {
            var output = new LotRef(gtin, lot, quantity, quantity is null ? null : v["uom"]);
            // Processing a single lot in place (washing, sorting): the lot is both input and output.
            IReadOnlyList<LotRef> inputs = step!.IsTransformation ? [new LotRef(gtin, lot)] : [];
            errors = await EventForm.CaptureAsync(page, capture, time,
                new EventDraft(output, step, at!.Value, partnerPlace ?? location, inputs, v["note"], destination));
            // Shipped to one of the producer's own places: that place is where the next step (receiving) happens.
            var next = step.IsShipping && destination is { IsLocation: true } ? v["destination"] : v["location"];
            if (errors.Count == 0)
                return Results.Redirect($"/console/events/new?lot={Uri.EscapeDataString(v["lot"]!)}&location={Uri.EscapeDataString(next ?? "")}&done={step.Key}");
        }
        return await FormAsync(page, catalog, v, errors, status: StatusCodes.Status400BadRequest);
    }
}
