using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Domain.Gs1;
using Traceability.Ingestion.Api.Catalog;
using Traceability.ProducerConsole.Portal;
using Traceability.ProducerConsole.Web;
using Traceability.ServiceDefaults.Http;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Catalog;

/// <summary>Products: list, create, edit. Writes go through <see cref="CatalogService"/> (the API's rules).</summary>
internal static class ProductPages
{
    public static void MapProductPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/products", ListAsync);
        console.MapGet("/products/new", (HttpContext ctx) => Form(Page.For(ctx), null, Blank, new FieldErrors()));
        console.MapPost("/products/new", CreateAsync).WithUploadLimits(ProductImages.MaxBytes + UploadLimits.FormOverhead);
        console.MapGet("/products/{gtin}/edit", EditAsync);
        console.MapPost("/products/{gtin}/edit", UpdateAsync).WithUploadLimits(ProductImages.MaxBytes + UploadLimits.FormOverhead);
    }

    private static readonly ProductRequest Blank = new(null, new LocalizedName(null, null), null, null, null, null, [], null);

    private static async Task<IResult> ListAsync(HttpContext ctx, ICatalogStore catalog, IOutboxStore outbox)
    {
        var page = Page.For(ctx);
        var products = await catalog.ListProductsAsync(page.ProducerId, ctx.RequestAborted);
        var portal = new PortalStates(outbox, ctx.RequestAborted);
        var rows = new List<Html>();
        foreach (var p in products.OrderBy(p => p.Name.Vi))
        {
            var state = await portal.OfAsync(OutboxKind.Product, p.Gtin);
            rows.Add(H($"""
                <tr><td>{p.Name.For(page.Ui.Lang)}</td><td>{p.Gtin}</td><td>{p.Brand}</td><td>{string.Join(", ", p.Standards)}</td>
                <td>{PortalCell.Render(page, state, page.T("sản phẩm ", "product ") + p.Name.Vi, "/console/products")}</td>
                <td><a href="/console/products/{p.Gtin}/edit">{page.T("Sửa", "Edit")}<span class="visually-hidden"> {p.Name.Vi}</span></a></td></tr>
                """));
        }
        return page.Render(page.T("Sản phẩm", "Products"), H($"""
            <p><a class="button" href="/console/products/new">{page.T("Thêm sản phẩm", "Add a product")}</a></p>
            {(products.Count == 0 ? H($"<p>{page.T("Chưa có sản phẩm nào.", "No products yet.")}</p>") : H($"""
            <div class="table"><table><caption class="visually-hidden">{page.T("Sản phẩm", "Products")}</caption>
            <thead><tr><th scope="col">{page.T("Tên", "Name")}</th><th scope="col">GTIN</th><th scope="col">{page.T("Thương hiệu", "Brand")}</th>
            <th scope="col">{page.T("Tiêu chuẩn", "Standards")}</th><th scope="col">{page.T("Cổng quốc gia", "National portal")}</th>
            <th scope="col"><span class="visually-hidden">{page.T("Thao tác", "Actions")}</span></th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """))}
            """));
    }

    private static IResult Form(Page page, string? gtin, ProductRequest r, FieldErrors errors, int status = StatusCodes.Status200OK)
    {
        var editing = gtin is not null;
        var action = editing ? $"/console/products/{gtin}/edit" : "/console/products/new";
        var shown = new[] { "gtin", "name.vi", "name.en", "brand", "imageUrl", "image", "standards", "certificates", "unit", "category" };
        return page.Render(editing ? page.T("Sửa sản phẩm", "Edit product") : page.T("Thêm sản phẩm", "Add a product"), H($"""
            {page.Summary(errors, shown)}
            <form method="post" action="{action}" class="card" enctype="multipart/form-data">{page.Csrf()}
            {(editing
                ? H($"<p><strong>GTIN</strong> {gtin}</p>")
                : page.Input("gtin", "GTIN", r.Gtin, errors, required: true, hint: page.T("Mã vạch 8, 12, 13 hoặc 14 chữ số, thuộc mã doanh nghiệp GS1 của bạn.", "Barcode number of 8, 12, 13 or 14 digits under your GS1 company prefix."), attributes: Raw("inputmode=\"numeric\" autocomplete=\"off\"")))}
            {page.Input("name.vi", page.T("Tên tiếng Việt", "Name in Vietnamese"), r.Name?.Vi, errors, required: true)}
            {page.Input("name.en", page.T("Tên tiếng Anh", "Name in English"), r.Name?.En, errors)}
            {page.Input("brand", page.T("Thương hiệu", "Brand"), r.Brand, errors)}
            {When(r.ImageUrl is not null, H($"<p><img src=\"{r.ImageUrl}\" alt=\"{page.T("Ảnh sản phẩm hiện tại", "Current product image")}\" width=\"120\"></p>"))}
            {page.Input("image", page.T("Tải ảnh lên", "Upload an image"), null, errors, "file",
                hint: page.T("JPEG, PNG hoặc WebP, tối đa 2 MB. Hoặc nhập địa chỉ ảnh bên dưới.", "JPEG, PNG or WebP, at most 2 MB. Or give an image URL below."),
                attributes: Raw("accept=\"image/jpeg,image/png,image/webp\""))}
            {page.Input("imageUrl", page.T("Địa chỉ ảnh (URL)", "Image URL"), r.ImageUrl, errors, "text", hint: "https://…", attributes: Raw("inputmode=\"url\""))}
            {page.Input("standards", page.T("Tiêu chuẩn áp dụng", "Applied standards"), string.Join(", ", r.Standards ?? []), errors,
                hint: page.T("Cách nhau bằng dấu phẩy, vd. VietGAP, OCOP 4 sao", "Separated by commas, e.g. VietGAP, OCOP 4 stars"))}
            {CertificateFields(page, r.Certificates ?? [], errors)}
            {page.Input("unit", page.T("Đơn vị tính", "Unit"), r.Unit, errors, hint: page.T("vd. hộp, kg, gói", "e.g. box, kg, pack"))}
            {page.Input("category", page.T("Nhóm hàng", "Category"), r.Category, errors)}
            <button type="submit">{page.T("Lưu", "Save")}</button>
            </form>
            """), status);
    }

    /// <summary>Rows for the certificates the product has and one more (no script adds rows); their names are the API's error paths.</summary>
    private static Html CertificateFields(Page page, IReadOnlyList<CertificateRequest?> certificates, FieldErrors errors)
    {
        var rows = Math.Min(MaxCertificates, certificates.Count + 1);
        return H($"""
            <fieldset><legend>{page.T("Giấy chứng nhận", "Certificates")}</legend>
            <p class="hint">{page.T("Mỗi giấy chứng nhận: tiêu chuẩn (vd. VietGAP), số giấy, nơi cấp và thời hạn hiệu lực. Người mua thấy các thông tin này trên trang truy xuất.",
                "Each certificate: the standard (e.g. VietGAP), its number, issuer and validity. Shoppers see them on the traceability page.")}</p>
            {Enumerable.Range(0, rows).Select(i => CertificateRow(page, i, i < certificates.Count ? certificates[i] : null, errors))}
            </fieldset>
            """);
    }

    private static Html CertificateRow(Page page, int i, CertificateRequest? c, FieldErrors errors)
    {
        var p = $"certificates[{i}]";
        return H($"""
            <fieldset class="certificate"><legend>{page.T("Giấy chứng nhận", "Certificate")} {i + 1}</legend>
            {page.Input(p + ".standard", page.T("Tiêu chuẩn", "Standard"), c?.Standard, errors)}
            {page.Input(p + ".number", page.T("Số giấy chứng nhận", "Certificate number"), c?.Number, errors)}
            {page.Input(p + ".issuer", page.T("Tổ chức cấp", "Issued by"), c?.Issuer, errors)}
            {page.Input(p + ".validFrom", page.T("Hiệu lực từ ngày", "Valid from"), c?.ValidFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), errors, "date")}
            {page.Input(p + ".validTo", page.T("Hiệu lực đến ngày", "Valid to"), c?.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), errors, "date")}
            </fieldset>
            """);
    }

    private const int MaxCertificates = 10;

    /// <summary>The certificate rows filled in (blank rows skipped); a date that is not a date is an error beside its field.</summary>
    private static List<CertificateRequest?> ReadCertificates(IFormCollection form, FieldErrors errors)
    {
        var list = new List<CertificateRequest?>();
        for (var i = 0; i < MaxCertificates; i++)
        {
            var p = $"certificates[{i}]";
            string?[] texts = [form.Get(p + ".standard"), form.Get(p + ".number"), form.Get(p + ".issuer"), form.Get(p + ".validFrom"), form.Get(p + ".validTo")];
            if (texts.All(t => t is null)) continue;
            // Filled rows are renumbered from 0, as the form shows them again, so an error names the row the producer sees.
            var at = $"certificates[{list.Count}]";
            list.Add(new CertificateRequest(texts[0], texts[1], texts[2], Day(texts[3], at + ".validFrom"), Day(texts[4], at + ".validTo")));
        }
        return list;

        DateOnly? Day(string? text, string field)
        {
            if (text is null) return null;
            if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors[field] = ["Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, vd. 14/01/2028."];
            return null;
        }
    }

    /// <summary>The form's product; an image address given as a path on this host ("/images/…") is made absolute, as uploads are.</summary>
    private static ProductRequest Read(Page page, IFormCollection form, string? gtin, FieldErrors dateErrors) => new(
        gtin ?? form.Get("gtin"),
        new LocalizedName(form.Get("name.vi"), form.Get("name.en")),
        form.Get("brand"), form.Get("imageUrl") is { } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
            ? PublicUrls.BaseUrl(page.Context) + url : form.Get("imageUrl"), form.Get("category"), null,
        (form.Get("standards") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        form.Get("unit"), ReadCertificates(form, dateErrors));

    /// <summary>A failed outcome as field errors: refusals without a field belong to the GTIN.</summary>
    internal static FieldErrors ErrorsOf<T>(Outcome<T> outcome, string field) =>
        outcome.Kind == OutcomeKind.Invalid ? new FieldErrors(outcome.Errors) : new FieldErrors { [field] = [outcome.Message!] };

    private static int StatusOf<T>(Outcome<T> o) => o.Kind switch
    {
        OutcomeKind.Forbidden => StatusCodes.Status403Forbidden,
        OutcomeKind.Conflict => StatusCodes.Status409Conflict,
        OutcomeKind.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status400BadRequest,
    };

    internal static int Status<T>(Outcome<T> o) => StatusOf(o);

    /// <summary>The uploaded image, checked; null when none was chosen; an error beside the file field when it is refused.</summary>
    private static async Task<(bool Ok, (byte[] Bytes, string Ext)? Image, FieldErrors Errors)> ReadImageAsync(Page page, IFormCollection form)
    {
        var file = form.Files.GetFile("image");
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName))) return (true, null, new FieldErrors());
        var (bytes, ext, error) = await ProductImages.ReadAsync(file, page.Context.RequestAborted);
        if (error is { } e) return (false, null, new FieldErrors { ["image"] = [page.T(e.Vi, e.En)] });
        return (true, (bytes!, ext!), new FieldErrors());
    }

    /// <summary>
    /// Points the request's imageUrl at the uploaded image, as an absolute URL on the public base: the
    /// national portal takes only a public image URL (hinhAnh) and refuses a relative one, which parked
    /// the product and its lots and events. Set before the one catalog write, so the product is never
    /// announced to the portal without it (the portal keeps the first version it stores).
    /// </summary>
    private static ProductRequest WithImage(Page page, ProductRequest request, string? gtin, (byte[] Bytes, string Ext)? image) =>
        image is { } img && Gtin.TryParse(gtin, out var valid, out _)
            ? request with { ImageUrl = PublicUrls.BaseUrl(page.Context) + ProductImages.UrlPath(valid, img.Ext) }
            : request;

    /// <summary>Writes the file once the product is saved: a refused product (another's GTIN) leaves no file behind.</summary>
    private static async Task SaveImageAsync(Page page, ProductImages images, Product product, (byte[] Bytes, string Ext)? image)
    {
        if (image is { } img) await images.SaveAsync(Gtin.Parse(product.Gtin), img.Ext, img.Bytes, page.Context.RequestAborted);
    }

    private static async Task<IResult> CreateAsync(HttpContext ctx, CatalogService catalog, ProductImages images)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var dateErrors = new FieldErrors();
        var request = Read(page, form, null, dateErrors);
        if (dateErrors.Count > 0) return Form(page, null, request, dateErrors, StatusCodes.Status400BadRequest);
        var (imageOk, image, imageErrors) = await ReadImageAsync(page, form);
        if (!imageOk) return Form(page, null, request, imageErrors, StatusCodes.Status400BadRequest);
        var outcome = await catalog.AddProductAsync(page.ProducerId, WithImage(page, request, request.Gtin, image), ctx.RequestAborted);
        if (!outcome.IsOk) return Form(page, null, request, ErrorsOf(outcome, "gtin"), StatusOf(outcome));
        await SaveImageAsync(page, images, outcome.Value!, image);
        return Results.Redirect("/console/products");
    }

    private static async Task<IResult> EditAsync(HttpContext ctx, string gtin, CatalogService catalog)
    {
        var page = Page.For(ctx);
        var found = await catalog.GetOwnProductAsync(page.ProducerId, gtin, ctx.RequestAborted);
        if (!found.IsOk) return page.Render(page.T("Không tìm thấy", "Not found"), H($"<p class=\"alert\">{page.Ui.Error(found.Message ?? "")}</p>"), StatusOf(found));
        var p = found.Value!;
        return Form(page, p.Gtin, new ProductRequest(p.Gtin, new LocalizedName(p.Name.Vi, p.Name.En), p.Brand, p.ImageUrl, p.Category,
            p.Description is { } d ? new LocalizedName(d.Vi, d.En) : null, p.Standards, p.Unit,
            [.. p.Certificates.Select(c => new CertificateRequest(c.Standard, c.Number, c.Issuer, c.ValidFrom, c.ValidTo))]), new FieldErrors());
    }

    private static async Task<IResult> UpdateAsync(HttpContext ctx, string gtin, CatalogService catalog, ProductImages images)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var existing = await catalog.GetOwnProductAsync(page.ProducerId, gtin, ctx.RequestAborted);
        if (!existing.IsOk) return page.Render(page.T("Không tìm thấy", "Not found"), H($"<p class=\"alert\">{page.Ui.Error(existing.Message ?? "")}</p>"), StatusOf(existing));
        // The form does not edit the description; keep the stored one.
        var form = await ctx.Request.ReadFormAsync();
        var dateErrors = new FieldErrors();
        var request = Read(page, form, existing.Value!.Gtin, dateErrors) with
        {
            Description = existing.Value.Description is { } d ? new LocalizedName(d.Vi, d.En) : null,
        };
        if (dateErrors.Count > 0) return Form(page, existing.Value.Gtin, request, dateErrors, StatusCodes.Status400BadRequest);
        var (imageOk, image, imageErrors) = await ReadImageAsync(page, form);
        if (!imageOk) return Form(page, existing.Value.Gtin, request, imageErrors, StatusCodes.Status400BadRequest);
        var outcome = await catalog.UpdateProductAsync(page.ProducerId, gtin, WithImage(page, request, existing.Value.Gtin, image), ctx.RequestAborted);
        if (outcome.IsOk) await SaveImageAsync(page, images, outcome.Value!, image);
        return outcome.IsOk
            ? Results.Redirect("/console/products")
            : Form(page, existing.Value.Gtin, request, ErrorsOf(outcome, "gtin"), StatusOf(outcome));
    }
}
