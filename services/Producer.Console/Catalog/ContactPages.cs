namespace Traceability.ProducerConsole.Catalog;

/// <summary>
/// The contact the producer publishes on its products' consumer pages (phone, website). Writes go
/// through <see cref="AccountService"/> (the API's rules); the phone registered with the authority stays private.
/// </summary>
internal static class ContactPages
{
    public static void MapContactPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/contact", ShowAsync);
        console.MapPost("/contact", SaveAsync);
    }

    private static async Task<IResult> ShowAsync(HttpContext ctx, IAccountStore accounts)
    {
        var producer = await accounts.GetProducerAsync(ctx.User.ProducerId()!, ctx.RequestAborted);
        return PageResult.Of<ContactForm>(new
        {
            Request = new ProducerContactRequest(producer?.PublicPhone, producer?.Website),
            Saved = ctx.Request.Query.ContainsKey("saved"),
        });
    }

    private static async Task<IResult> SaveAsync(HttpContext ctx, AccountService accounts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var request = new ProducerContactRequest(form.Get("phone"), form.Get("website"));
        var outcome = await accounts.SetContactAsync(ctx.User.ProducerId()!, request, ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect("/console/contact?saved=1")
            : PageResult.Of<ContactForm>(new { Request = request, Errors = ProductPages.ErrorsOf(outcome, "phone") }, ProductPages.Status(outcome));
    }
}
