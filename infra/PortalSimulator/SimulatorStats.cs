namespace Traceability.PortalSimulator;

/// <summary>GET /_sim/stats. duplicatesStored must stay 0; duplicatesRejected counts 409 answers.</summary>
public sealed record SimulatorStats(
    int Products, int Lots, int Events, int Recalls,
    long Requests, long FaultsInjected, long DuplicatesRejected, long DuplicatesStored);

/// <summary>One accepted entity, in arrival order (Seq), as GET /_sim/received lists it.</summary>
public sealed record ReceivedEntity(long Seq, string Kind, string Id, string NaturalKey, string? ParentId,
    DateTimeOffset ReceivedAt, object Body);
