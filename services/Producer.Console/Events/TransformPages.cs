using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Domain.Gs1;
using Traceability.Ingestion.Api.Epcis;
using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Events;

/// <summary>
/// Processing that combines lots: a TransformationEvent with the chosen input lots (own lots, or
/// one supplier lot typed by GTIN and lot number) and one output lot of this producer.
/// </summary>
internal static class TransformPages
{
    private static readonly string[] Fields = ["inputs", "otherGtin", "otherLot", "lot", "location", "quantity", "uom", "time", "note"];

    public static void MapTransformPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/transform", async (HttpContext ctx, ICatalogStore catalog, TimeProvider time) =>
            await FormAsync(Page.For(ctx), catalog, new Dictionary<string, string?> { ["time"] = EventForm.Now(time) }, [], new FieldErrors(),
                ctx.Request.Query["done"]));
        console.MapPost("/transform", RecordAsync);
    }

    private static async Task<IResult> FormAsync(Page page, ICatalogStore catalog, IReadOnlyDictionary<string, string?> v, IReadOnlyList<string> checkedInputs,
        FieldErrors errors, string? done = null, int status = StatusCodes.Status200OK)
    {
        var ct = page.Context.RequestAborted;
        var lots = await LotPages.LotOptionsAsync(page, catalog, ct);
        var locations = await LotPages.LocationOptionsAsync(page, catalog, ct);
        var inputs = lots.Select((l, i) => H($"""
            <label><input type="checkbox" name="inputs" value="{l.Value}"{When(checkedInputs.Contains(l.Value), Raw(" checked"))}><span>{l.Text}</span></label>
            """));
        return page.Render(page.T("Chế biến: gộp lô", "Processing: combine lots"), H($"""
            {EventForm.Done(page, done)}
            {page.Summary(errors, Fields)}
            <form method="post" action="/console/transform" class="card">{page.Csrf()}
            <fieldset><legend>{page.T("Lô đầu vào", "Input lots")}</legend><div class="steps">{inputs}</div>
            {When(errors.For("inputs").Any(), H($"<p class=\"error\" id=\"inputs-error\">{string.Join(" ", errors.For("inputs").Select(page.Ui.Error))}</p>"))}
            <p class="hint">{page.T("Nguyên liệu của nhà cung cấp khác (tuỳ chọn):", "A supplier's lot (optional):")}</p>
            <div class="grid">
            {page.Input("otherGtin", page.T("GTIN nguyên liệu", "Input GTIN"), v.GetValueOrDefault("otherGtin"), errors, attributes: Raw("inputmode=\"numeric\""))}
            {page.Input("otherLot", page.T("Số lô nguyên liệu", "Input lot"), v.GetValueOrDefault("otherLot"), errors)}
            </div></fieldset>
            {page.Select("lot", page.T("Lô thành phẩm", "Output lot"), lots, v.GetValueOrDefault("lot"), errors, required: true, placeholder: page.T("— chọn lô —", "— choose a lot —"))}
            {page.Select("location", page.T("Nơi chế biến", "Processing site"), locations, v.GetValueOrDefault("location"), errors, placeholder: page.T("— không chọn —", "— none —"))}
            {EventForm.QuantityTimeNote(page, v, errors, page.T("Số lượng thành phẩm", "Output quantity"), page.T("Ghi chế biến", "Record processing"))}
            </form>
            """), status);
    }

    private static async Task<IResult> RecordAsync(HttpContext ctx, ICatalogStore catalog, CaptureService capture, TimeProvider time)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var v = Fields.ToDictionary(f => f, f => form.Get(f));
        var checkedInputs = form["inputs"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        var errors = new FieldErrors();
        var inputs = new List<LotRef>();
        foreach (var value in checkedInputs)
            if (LotPages.TryParsePicker(value, out var g, out var l)) inputs.Add(new LotRef(g, l));
        if (v["otherGtin"] is not null || v["otherLot"] is not null)
        {
            if (!Gtin.TryParse(v["otherGtin"], out var otherGtin, out var gtinError)) errors.Add("otherGtin", gtinError!);
            if (!Gs1Syntax.IsValidLot(v["otherLot"], out var lotError)) errors.Add("otherLot", lotError!);
            if (errors.Count == 0) inputs.Add(new LotRef(otherGtin.Value, v["otherLot"]!));
        }
        if (inputs.Count == 0 && errors.Count == 0) errors.Add("inputs", page.T("Chọn ít nhất một lô đầu vào.", "Choose at least one input lot."));
        if (!LotPages.TryParsePicker(v["lot"], out var gtin, out var lot)) errors.Add("lot", page.T("Hãy chọn lô thành phẩm.", "Choose the output lot."));
        var quantity = EventForm.ParseQuantity(v["quantity"], "quantity", errors, page);
        var at = EventForm.ParseTime(v["time"], errors, page, time);
        var location = await EventForm.LocationIdAsync(page, catalog, v["location"], errors);
        if (errors.Count == 0)
        {
            var output = new LotRef(gtin, lot, quantity, quantity is null ? null : v["uom"]);
            errors = await EventForm.CaptureAsync(page, capture, time, new EventDraft(output, Step.Processing, at!.Value, location, inputs, v["note"]));
            if (errors.Count == 0) return Results.Redirect("/console/transform?done=processing");
        }
        return await FormAsync(page, catalog, v, checkedInputs, errors, status: StatusCodes.Status400BadRequest);
    }
}
