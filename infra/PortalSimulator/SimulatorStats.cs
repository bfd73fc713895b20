namespace Traceability.PortalSimulator;

/// <summary>
/// GET /_sim/stats. duplicatesStored must stay 0; duplicatesRejected counts 409 answers; corrections
/// counts events pushed again with a new correction (dinhChinh), kept as the event's latest body.
/// </summary>
public sealed record SimulatorStats(
    int Products, int Lots, int Events, int Recalls,
    long Requests, long FaultsInjected, long DuplicatesRejected, long DuplicatesStored, long Corrections = 0);

/// <summary>One accepted entity, in arrival order (Seq), as GET /_sim/received lists it.</summary>
/// <summary>Corrections: how many times a correction replaced the body (events only; ReceivedAt is the latest's).</summary>
public sealed record ReceivedEntity(long Seq, string Kind, string Id, string NaturalKey, string? ParentId,
    DateTimeOffset ReceivedAt, object Body, int Corrections = 0);
