using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Traceability.Security.Tests;

/// <summary>
/// Which connection gives its place near the limit (the flood test shows that new clients get in;
/// this shows that only a silent one is closed, the longest-silent first).
/// </summary>
public sealed class IdleConnectionEvictionTests
{
    [Fact]
    public async Task Near_the_limit_a_new_connection_closes_the_longest_silent_one_and_never_one_being_answered()
    {
        var eviction = new IdleConnectionEviction(TimeProvider.System) { ConnectionLimit = 20 };
        Assert.Equal(15, eviction.Threshold); // headroom: at least 16, at most a quarter of the limit
        var middleware = eviction.Middleware(ServeLikeKestrel);

        // The oldest connection sent a request that is still being answered (its read is not pending).
        var busy = Open(middleware, sendsRequest: true);
        await Task.Delay(20, TestContext.Current.CancellationToken);
        var idle = Enumerable.Range(0, 14).Select(_ => Open(middleware, sendsRequest: false)).ToList();
        await WaitUntil(() => eviction.OpenConnections == 15);

        var newcomer = Open(middleware, sendsRequest: false);
        await WaitUntil(() => idle[0].Context.ConnectionClosed.IsCancellationRequested);

        Assert.False(busy.Context.ConnectionClosed.IsCancellationRequested, "the connection being answered was closed");
        Assert.All(idle.Skip(1), c => Assert.False(c.Context.ConnectionClosed.IsCancellationRequested));
        Assert.False(newcomer.Context.ConnectionClosed.IsCancellationRequested);
        Assert.Equal(1, eviction.TakeEvicted());
    }

    [Fact]
    public async Task Below_the_threshold_nothing_is_closed()
    {
        var eviction = new IdleConnectionEviction(TimeProvider.System) { ConnectionLimit = 1000 };
        var middleware = eviction.Middleware(ServeLikeKestrel);
        var open = Enumerable.Range(0, 50).Select(_ => Open(middleware, sendsRequest: false)).ToList();
        await WaitUntil(() => eviction.OpenConnections == 50);
        Assert.Equal(0, eviction.TakeEvicted());
        Assert.All(open, c => Assert.False(c.Context.ConnectionClosed.IsCancellationRequested));
    }

    private sealed record Connection(DefaultConnectionContext Context, Task Served);

    private static Connection Open(ConnectionDelegate middleware, bool sendsRequest)
    {
        var input = new Pipe();
        var output = new Pipe();
        var context = new DefaultConnectionContext(Guid.NewGuid().ToString("N"), new DuplexPipe(input.Reader, output.Writer),
            new DuplexPipe(output.Reader, input.Writer));
        if (sendsRequest) input.Writer.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray()).AsTask().Wait();
        return new Connection(context, middleware(context));
    }

    /// <summary>Reads the first request, then "answers" it until the connection closes without reading again.</summary>
    private static async Task ServeLikeKestrel(ConnectionContext context)
    {
        var closed = new TaskCompletionSource();
        using var _ = context.ConnectionClosed.Register(() => closed.TrySetResult());
        var read = context.Transport.Input.ReadAsync(context.ConnectionClosed).AsTask();
        await Task.WhenAny(read, closed.Task);
        if (read.IsCompletedSuccessfully) context.Transport.Input.AdvanceTo(read.Result.Buffer.End);
        await closed.Task;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.True(condition());
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
