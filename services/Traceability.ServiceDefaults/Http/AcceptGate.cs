using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// Wraps Kestrel's socket transport so it accepts a connection only while fewer than
/// <see cref="Capacity"/> accepted sockets are still open; the rest wait in the kernel's backlog,
/// which costs this process no file descriptor.
/// <para>
/// Why (issue 16, seen again with 15,000 idle sockets against a 12,000 file limit): Kestrel checks
/// <c>MaxConcurrentConnections</c> only after accepting, and a refused or evicted connection keeps
/// its descriptor until its socket is disposed, later, on the thread pool. Under a flood on a busy
/// machine the accept loop ran ahead of those disposals: the process held ~11,700 descriptors for
/// a 10,700-connection limit (380 of them the runtime's own, mostly mapped assemblies), the
/// reserve was gone, a new thread could not be created and the runtime aborted with "Out of memory.".
/// Counting until the transport connection is disposed bounds the descriptors exactly.
/// </para>
/// </summary>
public sealed class AcceptGate(IConnectionListenerFactory inner, int capacity) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly SemaphoreSlim _slots = new(capacity, capacity);

    public int Capacity { get; } = capacity;

    /// <summary>Accepted sockets not yet disposed.</summary>
    public int Open => Capacity - _slots.CurrentCount;

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new Listener(await inner.BindAsync(endpoint, cancellationToken), _slots);

    public bool CanBind(EndPoint endpoint) => inner is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);

    private sealed class Listener(IConnectionListener inner, SemaphoreSlim slots) : IConnectionListener
    {
        private readonly CancellationTokenSource _unbound = new();

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
            try
            {
                await slots.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (_unbound.IsCancellationRequested)
            {
                return null; // unbinding while full: the accept loop ends as it does on an unbound socket
            }
            ConnectionContext? connection;
            try
            {
                connection = await inner.AcceptAsync(cancellationToken);
            }
            catch
            {
                slots.Release();
                throw;
            }
            if (connection is null)
            {
                slots.Release();
                return null;
            }
            return new Counted(connection, slots);
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await _unbound.CancelAsync();
            await inner.UnbindAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            _unbound.Dispose();
            await inner.DisposeAsync();
        }
    }

    /// <summary>The transport connection, giving its slot back once disposed (its socket closed).</summary>
    private sealed class Counted(ConnectionContext inner, SemaphoreSlim slots) : ConnectionContext
    {
        private int _released;

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }
        public override IFeatureCollection Features => inner.Features;
        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }
        public override System.IO.Pipelines.IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }
        public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }
        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }
        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

        public override void Abort() => inner.Abort();

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync();
            }
            finally
            {
                if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
            }
        }
    }
}
