using Microsoft.Extensions.Hosting;

namespace Traceability.Storage.Mongo.Setup;

/// <summary>Creates the indexes when the host starts, before requests are served.</summary>
internal sealed class MongoIndexInitializer(MongoTraceStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureIndexesAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
