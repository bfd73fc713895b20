namespace Traceability.Storage.Tests.Contract;

/// <summary>Console spreadsheet imports in the store (issue 17): any host reads and commits a job another host started.</summary>
public abstract partial class StoreContractTests
{
    private static IImportJobStore Imports(TraceStoreHandle store) => store.Get<IImportJobStore>();

    private static ImportJobRecord NewImportJob(string id, DateTimeOffset createdAt) => new(id, "p1", "lô.csv", "vi", createdAt)
    {
        Phase = "Validating", Version = 1, Total = 20_000, UpdatedAt = createdAt,
    };

    [Fact]
    public async Task An_import_job_round_trips_and_an_update_naming_an_old_version_is_refused()
    {
        var store = await OpenAsync();
        Assert.Null(await Imports(store).GetImportJobAsync("nope", Ct));
        await Imports(store).AddImportJobAsync(NewImportJob("job-1", T0), Ct);

        var ready = NewImportJob("job-1", T0) with
        {
            Phase = "Ready", Version = 2, Validated = 20_000, Events = 19_000, ErrorRows = 0, Chunks = 2, Message = "Tệp hợp lệ",
            Details = "{\"preview\":[]}", UpdatedAt = T0.AddSeconds(7),
        };
        Assert.True(await Imports(store).UpdateImportJobAsync(ready, 1, Ct));
        // A second writer that read version 1 too (another host) loses: the first write stands.
        Assert.False(await Imports(store).UpdateImportJobAsync(ready with { Phase = "Failed", Version = 2 }, 1, Ct));

        var read = await Imports(store).GetImportJobAsync("job-1", Ct);
        Assert.Equal(ready, read);
    }

    [Fact]
    public async Task Import_chunks_are_kept_by_index_and_go_with_their_job_when_it_expires()
    {
        var store = await OpenAsync();
        await Imports(store).AddImportJobAsync(NewImportJob("old", T0), Ct);
        await Imports(store).AddImportJobAsync(NewImportJob("new", T0.AddHours(20)), Ct);
        await Imports(store).PutImportChunkAsync(new("old", 0, [1, 2, 3], 10_000, 2, 10_001), Ct);
        await Imports(store).PutImportChunkAsync(new("old", 1, [4], 5, 10_002, 10_006), Ct);
        await Imports(store).PutImportChunkAsync(new("new", 0, [9], 1, 2, 2), Ct);
        await Imports(store).PutImportChunkAsync(new("new", 0, [8, 8], 2, 2, 3), Ct);

        var chunk = await Imports(store).GetImportChunkAsync("old", 1, Ct);
        Assert.NotNull(chunk);
        Assert.Equal((4, 5, 10_002, 10_006), (chunk.Document.Single(), chunk.EventCount, chunk.FirstRow, chunk.LastRow));
        Assert.Equal([8, 8], (await Imports(store).GetImportChunkAsync("new", 0, Ct))!.Document);
        Assert.Null(await Imports(store).GetImportChunkAsync("old", 2, Ct));

        Assert.Equal(1, await Imports(store).DeleteImportJobsBeforeAsync(T0.AddHours(1), Ct));
        Assert.Null(await Imports(store).GetImportJobAsync("old", Ct));
        Assert.Null(await Imports(store).GetImportChunkAsync("old", 0, Ct));
        Assert.NotNull(await Imports(store).GetImportJobAsync("new", Ct));

        await Imports(store).DeleteImportChunksAsync("new", Ct);
        Assert.Null(await Imports(store).GetImportChunkAsync("new", 0, Ct));
        Assert.NotNull(await Imports(store).GetImportJobAsync("new", Ct));
    }
}
