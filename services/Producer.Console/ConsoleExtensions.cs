using System.Text.Encodings.Web;
using System.Text.Unicode;
using Traceability.ProducerConsole.Alerts;
using Traceability.ProducerConsole.Dashboard;
using Traceability.ProducerConsole.Import;
using Traceability.ProducerConsole.Labels;

namespace Traceability.ProducerConsole;

public static class ConsoleExtensions
{
    /// <summary>The producer console's services: Razor pages and their texts, cookie sign-in, anti-forgery, import jobs.</summary>
    public static IHostApplicationBuilder AddConsole(this IHostApplicationBuilder builder)
    {
        // The pages are Razor components rendered on the server (static SSR), texts from Web/ConsoleTexts.resx.
        builder.Services.AddRazorComponents();
        builder.Services.AddLocalization();
        // Vietnamese letters as themselves, not as &#x…; entities; markup characters are still encoded.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
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

    /// <summary>Server-rendered pages under <c>/console</c> and the label-sheet API (DESIGN §4.8); call after MapDefaultEndpoints (authentication).</summary>
    public static WebApplication MapConsole(this WebApplication routes)
    {
        routes.UseConsoleCulture();
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
            return Pages.DiskFull();
        }
    }
}
