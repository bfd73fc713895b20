namespace Traceability.Storage.Sqlite;

public sealed class SqliteReportStore(SqliteDatabase db) : IReportStore, IInspectionStore
{
    private const string ReportColumns =
        "id AS Id, created_at AS CreatedAt, updated_at AS UpdatedAt, code AS Code, lot_key AS LotKey, " +
        "category AS Category, message AS Message, protected_contact AS ProtectedContact, status AS Status, " +
        "assignee AS Assignee, outcome AS Outcome";

    private const string InspectionColumns =
        "id AS Id, inspector_id AS InspectorId, created_at AS CreatedAt, inspected_at AS InspectedAt, code AS Code, " +
        "lot_key AS LotKey, result AS Result, notes AS Notes, latitude AS Latitude, longitude AS Longitude, " +
        "client_ref AS ClientRef, photo_type AS PhotoContentType, published_at AS PublishedAt, place AS Place";

    public Task AddReportAsync(ConsumerReport report, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            """
            INSERT INTO reports (id, created_at, updated_at, code, lot_key, category, message, protected_contact, status,
                                 assignee, outcome)
            VALUES (@Id, @CreatedAt, @UpdatedAt, @Code, @LotKey, @Category, @Message, @ProtectedContact, @Status,
                    @Assignee, @Outcome)
            """,
            new
            {
                report.Id, CreatedAt = Ms(report.CreatedAt), UpdatedAt = Ms(report.UpdatedAt), report.Code, report.LotKey,
                report.Category, report.Message, report.ProtectedContact, Status = StatusText(report.Status),
                report.Assignee, report.Outcome,
            }), ct);

    public async Task<ConsumerReport?> GetReportAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reports WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<ConsumerReport>> ListReportsAsync(ReportStatus? status, int max, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportColumns} FROM reports WHERE (@status IS NULL OR status = @status) ORDER BY created_at DESC, id LIMIT @max",
            new { status = status is { } s ? StatusText(s) : null, max }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task<bool> SetReportStatusAsync(string id, ReportStatus status, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "UPDATE reports SET status = @status, updated_at = @at WHERE id = @id",
            new { id, status = StatusText(status), at = Ms(at) }) > 0, ct);

    public Task<bool> SaveTriageAsync(ConsumerReport report, ReportNote? note, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            if (connection.Execute(
                    "UPDATE reports SET status = @status, assignee = @Assignee, outcome = @Outcome, updated_at = @at WHERE id = @Id",
                    new { report.Id, status = StatusText(report.Status), report.Assignee, report.Outcome, at = Ms(report.UpdatedAt) }) == 0)
                return false;
            if (note is not null)
                connection.Execute("INSERT INTO report_notes (id, report_id, at, author, text) VALUES (@Id, @ReportId, @At, @Author, @Text)",
                    new { note.Id, note.ReportId, At = Ms(note.At), note.Author, note.Text });
            SqliteSharedWrites.InsertAudit(connection, entry);
            return true;
        }, ct);

    public async Task<IReadOnlyList<ReportNote>> ListReportNotesAsync(string reportId, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<NoteRow>(new CommandDefinition(
            "SELECT id AS Id, report_id AS ReportId, at AS At, author AS Author, text AS Text FROM report_notes WHERE report_id = @reportId ORDER BY at, id",
            new { reportId }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new ReportNote(r.Id, r.ReportId, FromMs(r.At), r.Author, r.Text)).ToList();
    }

    public Task AddInspectionAsync(Inspection inspection, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            try
            {
                connection.Execute(
                    """
                    INSERT INTO inspections (id, inspector_id, created_at, inspected_at, code, lot_key, result, notes,
                                             latitude, longitude, client_ref, photo_type, place)
                    VALUES (@Id, @InspectorId, @CreatedAt, @InspectedAt, @Code, @LotKey, @Result, @Notes,
                            @Latitude, @Longitude, @ClientRef, @PhotoContentType, @Place)
                    """,
                    new
                    {
                        inspection.Id, inspection.InspectorId, CreatedAt = Ms(inspection.CreatedAt),
                        InspectedAt = Ms(inspection.InspectedAt), inspection.Code, inspection.LotKey, inspection.Result,
                        inspection.Notes, inspection.Latitude, inspection.Longitude, inspection.ClientRef,
                        inspection.PhotoContentType, inspection.Place,
                    });
            }
            catch (SqliteException ex) when (ex.IsUniqueViolation())
            {
                throw new DuplicateKeyException(
                    $"Inspector '{inspection.InspectorId}' already sent the record '{inspection.ClientRef}'.");
            }
        }, ct);

    public async Task<Inspection?> GetInspectionAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<InspectionRow>(new CommandDefinition(
            $"SELECT {InspectionColumns} FROM inspections WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<Inspection?> FindInspectionByClientRefAsync(string inspectorId, string clientRef, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<InspectionRow>(new CommandDefinition(
            $"SELECT {InspectionColumns} FROM inspections WHERE inspector_id = @inspectorId AND client_ref = @clientRef",
            new { inspectorId, clientRef }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<Inspection>> ListInspectionsAsync(string? lotKey, int max, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<InspectionRow>(new CommandDefinition(
            $"SELECT {InspectionColumns} FROM inspections WHERE (@lotKey IS NULL OR lot_key = @lotKey) ORDER BY created_at DESC, id LIMIT @max",
            new { lotKey, max }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<Inspection>> QueryInspectionsAsync(InspectionQuery q, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<InspectionRow>(new CommandDefinition(
            $"""
            SELECT {InspectionColumns} FROM inspections
            WHERE (@LotKey IS NULL OR lot_key = @LotKey) AND (@InspectorId IS NULL OR inspector_id = @InspectorId)
              AND (@Result IS NULL OR result = @Result) AND (@from IS NULL OR inspected_at >= @from)
              AND (@to IS NULL OR inspected_at < @to) AND (@published = 0 OR published_at IS NOT NULL)
            ORDER BY inspected_at DESC, id LIMIT @Max
            """,
            new
            {
                q.LotKey, q.InspectorId, q.Result, from = q.From is { } f ? Ms(f) : (long?)null, to = q.To is { } t ? Ms(t) : (long?)null,
                published = q.PublishedOnly ? 1 : 0, q.Max,
            }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public Task<bool> SetInspectionPublishedAsync(string id, DateTimeOffset? publishedAt, AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            if (connection.Execute("UPDATE inspections SET published_at = @at WHERE id = @id",
                    new { id, at = publishedAt is { } p ? Ms(p) : (long?)null }) == 0)
                return false;
            SqliteSharedWrites.InsertAudit(connection, entry);
            return true;
        }, ct);

    public Task<bool> SetInspectionPhotoAsync(string id, InspectionPhoto photo, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            if (connection.Execute("UPDATE inspections SET photo_type = @type WHERE id = @id", new { id, type = photo.ContentType }) == 0)
                return false;
            connection.Execute(
                """
                INSERT INTO inspection_photos (inspection_id, content_type, data) VALUES (@id, @type, @data)
                ON CONFLICT (inspection_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data
                """, new { id, type = photo.ContentType, data = photo.Data });
            return true;
        }, ct);

    public async Task<InspectionPhoto?> GetInspectionPhotoAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<PhotoRow>(new CommandDefinition(
            "SELECT content_type AS ContentType, data AS Data FROM inspection_photos WHERE inspection_id = @id",
            new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null : new InspectionPhoto(row.ContentType, row.Data);
    }

    private static string StatusText(ReportStatus status) => ReportStatuses.Text(status);

    private static ReportStatus ParseStatus(string text) => text switch
    {
        "new" => ReportStatus.New,
        "in_review" => ReportStatus.InReview,
        "rejected" => ReportStatus.Rejected,
        _ => ReportStatus.Resolved,
    };

    private sealed class ReportRow
    {
        public string Id { get; init; } = "";
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
        public string? Code { get; init; }
        public string? LotKey { get; init; }
        public string Category { get; init; } = "";
        public string Message { get; init; } = "";
        public string? ProtectedContact { get; init; }
        public string Status { get; init; } = "";
        public string? Assignee { get; init; }
        public string? Outcome { get; init; }

        public ConsumerReport ToRecord() => new(Id, FromMs(CreatedAt), Code, LotKey, Category, Message, ProtectedContact,
            ParseStatus(Status), FromMs(UpdatedAt), Assignee, Outcome);
    }

    private sealed class NoteRow
    {
        public string Id { get; init; } = "";
        public string ReportId { get; init; } = "";
        public long At { get; init; }
        public string Author { get; init; } = "";
        public string Text { get; init; } = "";
    }

    private sealed class InspectionRow
    {
        public string Id { get; init; } = "";
        public string InspectorId { get; init; } = "";
        public long CreatedAt { get; init; }
        public long InspectedAt { get; init; }
        public string Code { get; init; } = "";
        public string? LotKey { get; init; }
        public string Result { get; init; } = "";
        public string? Notes { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string? ClientRef { get; init; }
        public string? PhotoContentType { get; init; }
        public long? PublishedAt { get; init; }
        public string? Place { get; init; }

        public Inspection ToRecord() => new(Id, InspectorId, FromMs(CreatedAt), FromMs(InspectedAt), Code, LotKey, Result,
            Notes, Latitude, Longitude, ClientRef, PhotoContentType, PublishedAt is { } p ? FromMs(p) : null, Place);
    }

    private sealed class PhotoRow
    {
        public string ContentType { get; init; } = "";
        public byte[] Data { get; init; } = [];
    }
}
