using Microsoft.AspNetCore.Connections;

namespace Traceability.Security.Tests;

/// <summary>
/// The gate that keeps accepted sockets within the connection limit until each is disposed (the flood
/// test shows the host surviving; this shows the bound itself, which the flood hits only on a busy machine).
/// </summary>
public sealed class AcceptGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task At_capacity_the_next_accept_waits_until_an_accepted_connection_is_disposed_not_merely_aborted()
    {
        var gate = new AcceptGate(new EndlessTransport(), capacity: 2);
        await using var listener = await gate.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), Ct);
        var first = await listener.AcceptAsync(Ct);
        var second = await listener.AcceptAsync(Ct);
        Assert.Equal(2, gate.Open);

        var third = listener.AcceptAsync(Ct).AsTask();
        await Task.Delay(100, Ct);
        Assert.False(third.IsCompleted, "a third socket was accepted over the capacity of 2");

        first!.Abort(); // aborted, its socket not yet closed: still holds its descriptor
        await Task.Delay(100, Ct);
        Assert.False(third.IsCompleted, "an aborted but undisposed connection gave its slot back");

        await first.DisposeAsync();
        await first.DisposeAsync(); // Kestrel may dispose twice: one slot back, not two
        Assert.NotNull(await third.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.Equal(2, gate.Open);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task Unbinding_while_full_ends_the_waiting_accept_with_null_as_an_unbound_socket_does()
    {
        var gate = new AcceptGate(new EndlessTransport(), capacity: 1);
        await using var listener = await gate.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), Ct);
        Assert.NotNull(await listener.AcceptAsync(Ct));
        var waiting = listener.AcceptAsync(Ct).AsTask();

        await listener.UnbindAsync(Ct);

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }

    /// <summary>A transport with a client always waiting in its backlog.</summary>
    private sealed class EndlessTransport : IConnectionListenerFactory
    {
        public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IConnectionListener>(new Listener(endpoint));

        private sealed class Listener(EndPoint endpoint) : IConnectionListener
        {
            public EndPoint EndPoint => endpoint;
            public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
                ValueTask.FromResult<ConnectionContext?>(new DefaultConnectionContext());
            public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
