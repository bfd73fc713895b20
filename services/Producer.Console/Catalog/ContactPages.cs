using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Ingestion.Api.Accounts;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

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
        var page = Page.For(ctx);
        var producer = await accounts.GetProducerAsync(page.ProducerId, ctx.RequestAborted);
        var saved = ctx.Request.Query.ContainsKey("saved");
        return Form(page, new ProducerContactRequest(producer?.PublicPhone, producer?.Website), new FieldErrors(), saved);
    }

    private static async Task<IResult> SaveAsync(HttpContext ctx, AccountService accounts)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        var form = await ctx.Request.ReadFormAsync();
        var request = new ProducerContactRequest(form.Get("phone"), form.Get("website"));
        var outcome = await accounts.SetContactAsync(page.ProducerId, request, ctx.RequestAborted);
        return outcome.IsOk
            ? Results.Redirect("/console/contact?saved=1")
            : Form(page, request, ProductPages.ErrorsOf(outcome, "phone"), false, ProductPages.Status(outcome));
    }

    private static IResult Form(Page page, ProducerContactRequest r, FieldErrors errors, bool saved, int status = StatusCodes.Status200OK) =>
        page.Render(page.T("Liên hệ công khai", "Public contact"), H($"""
            {When(saved, H($"<p class=\"ok\" role=\"status\">{page.T("Đã lưu. Trang truy xuất của các sản phẩm đã hiển thị thông tin mới.", "Saved. Your products' traceability pages show it now.")}</p>"))}
            {page.Summary(errors, "phone", "website")}
            <form method="post" action="/console/contact" class="card">{page.Csrf()}
            <p class="hint">{page.T("Người mua thấy số điện thoại và trang web này trên trang truy xuất của mọi sản phẩm của bạn. Số điện thoại đã đăng ký với cơ quan quản lý không hiển thị công khai.",
                "Shoppers see this phone and website on the traceability page of every product of yours. The phone registered with the authority is not shown publicly.")}</p>
            {page.Input("phone", page.T("Số điện thoại", "Phone"), r.Phone, errors, "tel", attributes: Raw("autocomplete=\"tel\""))}
            {page.Input("website", page.T("Trang web", "Website"), r.Website, errors, "url", hint: "https://…", attributes: Raw("inputmode=\"url\""))}
            <button type="submit">{page.T("Lưu", "Save")}</button>
            </form>
            """), status);
}
