namespace Traceability.ProducerConsole.Catalog;

/// <summary>Products: list, create, edit. Writes go through <see cref="CatalogService"/> (the API's rules).</summary>
internal static class ProductPages
{
    public static void MapProductPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/products", ListAsync);
        console.MapGet("/products/new", () => Form(null, Blank, new FieldErrors()));
        console.MapPost("/products/new", CreateAsync).WithUploadLimits(ProductImages.MaxBytes + UploadLimits.FormOverhead);
        console.MapGet("/products/{gtin}/edit", EditAsync);
        console.MapPost("/products/{gtin}/edit", UpdateAsync).WithUploadLimits(ProductImages.MaxBytes + UploadLimits.FormOverhead);
    }

    private static readonly ProductRequest Blank = new(null, new LocalizedName(null, null), null, null, null, null, [], null);

    private static async Task<IResult> ListAsync(HttpContext ctx, ICatalogStore catalog, IOutboxStore outbox)
    {
        var products = await catalog.ListProductsAsync(ctx.User.ProducerId()!, ctx.RequestAborted);
        var portal = new PortalStates(outbox, ctx.RequestAborted);
        var rows = new List<(Product, PortalState)>();
        foreach (var p in products.OrderBy(p => p.Name.Vi)) rows.Add((p, await portal.OfAsync(OutboxKind.Product, p.Gtin)));
        return PageResult.Of<ProductList>(new { Rows = rows });
    }

    private static IResult Form(string? gtin, ProductRequest r, FieldErrors errors, int status = StatusCodes.Status200OK) =>
        PageResult.Of<ProductForm>(new { Gtin = gtin, Request = r, Errors = errors }, status);

    internal const int MaxCertificates = 10;

    /// <summary>The certificate rows filled in (blank rows skipped); a date that is not a date is an error beside its field.</summary>
    private static List<CertificateRequest?> ReadCertificates(IFormCollection form, FieldErrors errors, IStringLocalizer<ConsoleTexts> texts)
    {
        var list = new List<CertificateRequest?>();
        for (var i = 0; i < MaxCertificates; i++)
        {
            var p = $"certificates[{i}]";
            string?[] cells = [form.Get(p + ".standard"), form.Get(p + ".number"), form.Get(p + ".issuer"), form.Get(p + ".validFrom"), form.Get(p + ".validTo")];
            if (cells.All(t => t is null)) continue;
            // Filled rows are renumbered from 0, as the form shows them again, so an error names the row the producer sees.
            var at = $"certificates[{list.Count}]";
            list.Add(new CertificateRequest(cells[0], cells[1], cells[2], Day(cells[3], at + ".validFrom"), Day(cells[4], at + ".validTo")));
        }
        return list;

        DateOnly? Day(string? text, string field)
        {
            if (text is null) return null;
            if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors[field] = [texts["Products_BadDate"]];
            return null;
        }
    }

    /// <summary>The form's product; an image address given as a path on this host ("/images/…") is made absolute, as uploads are.</summary>
    private static ProductRequest Read(HttpContext ctx, IFormCollection form, string? gtin, FieldErrors dateErrors, IStringLocalizer<ConsoleTexts> texts) => new(
        gtin ?? form.Get("gtin"),
        new LocalizedName(form.Get("name.vi"), form.Get("name.en")),
        form.Get("brand"), form.Get("imageUrl") is { } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
            ? PublicUrls.BaseUrl(ctx) + url : form.Get("imageUrl"), form.Get("category"), null,
        (form.Get("standards") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        form.Get("unit"), ReadCertificates(form, dateErrors, texts));

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
    private static async Task<(bool Ok, (byte[] Bytes, string Ext)? Image, FieldErrors Errors)> ReadImageAsync(HttpContext ctx, IFormCollection form, IStringLocalizer<ConsoleTexts> texts)
    {
        var file = form.Files.GetFile("image");
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName))) return (true, null, new FieldErrors());
        var (bytes, ext, error) = await ProductImages.ReadAsync(file, ctx.RequestAborted);
        if (error is { } key) return (false, null, new FieldErrors { ["image"] = [texts[key]] });
        return (true, (bytes!, ext!), new FieldErrors());
    }

    /// <summary>
    /// Points the request's imageUrl at the uploaded image, as an absolute URL on the public base: the
    /// national portal takes only a public image URL (hinhAnh) and refuses a relative one, which parked
    /// the product and its lots and events. Set before the one catalog write, so the product is never
    /// announced to the portal without it (the portal keeps the first version it stores).
    /// </summary>
    private static ProductRequest WithImage(HttpContext ctx, ProductRequest request, string? gtin, (byte[] Bytes, string Ext)? image) =>
        image is { } img && Gtin.TryParse(gtin, out var valid, out _)
            ? request with { ImageUrl = PublicUrls.BaseUrl(ctx) + ProductImages.UrlPath(valid, img.Ext) }
            : request;

    /// <summary>Writes the file once the product is saved: a refused product (another's GTIN) leaves no file behind.</summary>
    private static async Task SaveImageAsync(HttpContext ctx, ProductImages images, Product product, (byte[] Bytes, string Ext)? image)
    {
        if (image is { } img) await images.SaveAsync(Gtin.Parse(product.Gtin), img.Ext, img.Bytes, ctx.RequestAborted);
    }

    private static async Task<IResult> CreateAsync(HttpContext ctx, CatalogService catalog, ProductImages images, IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var producerId = ctx.User.ProducerId()!;
        var dateErrors = new FieldErrors();
        var request = Read(ctx, form, null, dateErrors, texts);
        if (dateErrors.Count > 0) return Form(null, request, dateErrors, StatusCodes.Status400BadRequest);
        var (imageOk, image, imageErrors) = await ReadImageAsync(ctx, form, texts);
        if (!imageOk) return Form(null, request, imageErrors, StatusCodes.Status400BadRequest);
        var outcome = await catalog.AddProductAsync(producerId, WithImage(ctx, request, request.Gtin, image), ctx.RequestAborted);
        if (!outcome.IsOk) return Form(null, request, ErrorsOf(outcome, "gtin"), StatusOf(outcome));
        await SaveImageAsync(ctx, images, outcome.Value!, image);
        return Results.Redirect("/console/products");
    }

    private static async Task<IResult> EditAsync(HttpContext ctx, string gtin, CatalogService catalog)
    {
        var found = await catalog.GetOwnProductAsync(ctx.User.ProducerId()!, gtin, ctx.RequestAborted);
        if (!found.IsOk) return Pages.NotFoundMessage(found.Message, StatusOf(found));
        var p = found.Value!;
        return Form(p.Gtin, new ProductRequest(p.Gtin, new LocalizedName(p.Name.Vi, p.Name.En), p.Brand, p.ImageUrl, p.Category,
            p.Description is { } d ? new LocalizedName(d.Vi, d.En) : null, p.Standards, p.Unit,
            [.. p.Certificates.Select(c => new CertificateRequest(c.Standard, c.Number, c.Issuer, c.ValidFrom, c.ValidTo))]), new FieldErrors());
    }

    private static async Task<IResult> UpdateAsync(HttpContext ctx, string gtin, CatalogService catalog, ProductImages images, IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var producerId = ctx.User.ProducerId()!;
        var existing = await catalog.GetOwnProductAsync(producerId, gtin, ctx.RequestAborted);
        if (!existing.IsOk) return Pages.NotFoundMessage(existing.Message, StatusOf(existing));
        // The form does not edit the description; keep the stored one.
        var dateErrors = new FieldErrors();
        var request = Read(ctx, form, existing.Value!.Gtin, dateErrors, texts) with
        {
            Description = existing.Value.Description is { } d ? new LocalizedName(d.Vi, d.En) : null,
        };
        if (dateErrors.Count > 0) return Form(existing.Value.Gtin, request, dateErrors, StatusCodes.Status400BadRequest);
        var (imageOk, image, imageErrors) = await ReadImageAsync(ctx, form, texts);
        if (!imageOk) return Form(existing.Value.Gtin, request, imageErrors, StatusCodes.Status400BadRequest);
        var outcome = await catalog.UpdateProductAsync(producerId, gtin, WithImage(ctx, request, existing.Value.Gtin, image), ctx.RequestAborted);
        if (outcome.IsOk) await SaveImageAsync(ctx, images, outcome.Value!, image);
        return outcome.IsOk
            ? Results.Redirect("/console/products")
            : Form(existing.Value.Gtin, request, ErrorsOf(outcome, "gtin"), StatusOf(outcome));
    }
}
