using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Traceability.Standalone.Backup;

public static class BackupExtensions
{
    /// <summary>Scheduled backups (section "Backup") and their /health check.</summary>
    public static IHostApplicationBuilder AddScheduledBackups(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BackupScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BackupScheduler>());
        builder.Services.AddHealthChecks().AddCheck<BackupHealthCheck>("backup");
        return builder;
    }
}
