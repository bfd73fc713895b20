using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Traceability.Ingestion.Api.Accounts;
using Traceability.Ingestion.Api.Epcis;
using Traceability.Ingestion.Api.Epcis.Subscriptions;

namespace Traceability.Ingestion.Api;

public static class IngestionExtensions
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CaptureOptions>().BindConfiguration("Capture").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IngestionTelemetry>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<KeyService>();
        builder.Services.AddSingleton<ProducerUserService>();
        builder.Services.AddSingleton<CatalogService>();
        builder.Services.AddSingleton<CaptureService>();
        builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, EpcisProtocolStartup>();
        builder.Services.AddOptions<SubscriptionOptions>().BindConfiguration(SubscriptionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<WebhookDestinations>();
        builder.Services.AddHostedService<WebhookDelivery>();
        return builder;
    }

    public static IEndpointRouteBuilder MapIngestionApi(this IEndpointRouteBuilder routes)
    {
        routes.MapAccountsApi();
        routes.MapKeysApi();
        routes.MapProducerUsersApi();
        routes.MapCatalogApi();
        routes.MapEpcisApi();
        return routes;
    }
}
