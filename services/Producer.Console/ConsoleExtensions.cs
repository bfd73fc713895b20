using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Traceability.ProducerConsole.Alerts;
using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Dashboard;
using Traceability.ProducerConsole.Events;
using Traceability.ProducerConsole.Import;
using Traceability.ProducerConsole.Labels;
using Traceability.ProducerConsole.Portal;
using Traceability.ProducerConsole.Web;
using Traceability.ServiceDefaults.Auth;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole;

public static class ConsoleExtensions
{
    /// <summary>The producer console's services: cookie sign-in, anti-forgery, import jobs.</summary>
    public static IHostApplicationBuilder AddConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddConsoleAuth();
        builder.Services.AddSingleton<ImportJobs>();
        builder.Services.AddSingleton<ImportValidator>();
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ImportReader>();
        builder.Services.AddSingleton<LabelSheet>();
        builder.Services.AddSingleton<ProductImages>();
        builder.Services.AddHostedService<ProductImageImport>();
        return builder;
    }

    /// <summary>Server-rendered pages under <c>/console</c> and the label-sheet API (DESIGN §4.8).</summary>
    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder routes)
    {
        Assets.Map(routes);
        var anonymous = routes.MapGroup("/console").ExcludeFromDescription().AddEndpointFilter<FormGuard>().AddEndpointFilter(DiskFullPage);
        anonymous.MapSignIn();

        var console = routes.MapGroup("/console").RequireAuthorization(ConsoleAuth.Policy).ExcludeFromDescription().AddEndpointFilter<FormGuard>().AddEndpointFilter(DiskFullPage)
            .AddEndpointFilter(ConsoleAuth.MustChangePassword);
        console.MapGet("/", DashboardPage.ShowAsync);
        console.MapUserPages();
        console.MapProductPages();
        console.MapContactPages();
        console.MapLocationPages();
        console.MapLotPages();
        console.MapLotPage();
        console.MapRecallPages();
        console.MapEventPages();
        console.MapTransformPages();
        console.MapLabelPages();
        console.MapImportPages();
        console.MapPortalPages();
        console.MapAlertPages();

        ProductImages.Map(routes);
        routes.MapGet("/api/v1/lots/{gtin}/{lot}/labels", LabelPages.ApiSheetAsync)
            .RequireAuthorization(Policies.Producer)
            .WithTags("Labels").WithName("GetLabelSheet")
            .WithSummary("Printable A4 sheet of QR labels for a lot (owning producer)");
        return routes;
    }

    /// <summary>A form whose write finds the disk full gets a page saying so (507), not the API's problem+json.</summary>
    private static async ValueTask<object?> DiskFullPage(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e.IsDiskFull())
        {
            var page = Page.For(context.HttpContext);
            return page.Render(page.T("Bộ nhớ máy chủ đã đầy", "The server's storage is full"), H($"""
                <p class="alert" role="alert">{page.T("Máy chủ hết dung lượng lưu trữ nên chưa lưu được gì từ biểu mẫu này. Dữ liệu đã lưu trước đó vẫn an toàn. Hãy thử lại sau ít phút hoặc báo quản trị viên.",
                    "The server has run out of storage, so nothing from this form was saved. Data saved before is safe. Try again in a few minutes or tell the administrator.")}</p>
                <p><a href="/console">{page.T("Về trang chính", "Back to the console")}</a></p>
                """), StatusCodes.Status507InsufficientStorage);
        }
    }
}
