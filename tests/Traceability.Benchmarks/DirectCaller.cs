using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Traceability.Sync;

namespace Traceability.Benchmarks;

/// <summary>
/// The sync limit's caller: one product, the lots, then their events, posted straight to the portal
/// simulator with bare HttpClient calls, the worker's concurrency, in rounds of its lease batch. It
/// runs in a process of its own, as the worker does: from the simulator's own process its calls
/// skipped the switches between two busy processes that every push of the worker pays, and in the
/// steady state that made the simulator look ~40 % cheaper per event than the worker ever sees it.
/// </summary>
internal sealed class DirectCaller : IDisposable
{
    /// <summary>The argument that makes this program the caller (see Program.cs): then the simulator's address and the lot count.</summary>
    public const string Argument = "--direct-caller";

    private static SyncOptions Worker => SyncScenario.Worker;
    private readonly Process process;

    private DirectCaller(Process process) => this.process = process;

    /// <summary>Starts this program again as the caller of the simulator at <paramref name="portal"/>.</summary>
    public static DirectCaller Start(Uri portal, int lots) =>
        new(Process.Start(new ProcessStartInfo("dotnet", [typeof(DirectCaller).Assembly.Location, Argument, portal.AbsoluteUri, lots.ToString()])
        {
            RedirectStandardInput = true, // closed by Dispose; until then the finished caller waits, so its CPU time can still be read
        })!);

    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Throws if the caller stopped before the simulator held everything.</summary>
    public void ThrowIfFailed()
    {
        if (process.HasExited && process.ExitCode != 0)
            throw new InvalidOperationException($"The direct caller exited with code {process.ExitCode}.");
    }

    /// <summary>The child's side: posts everything, then waits until its standard input closes.</summary>
    public static async Task RunAsync(Uri portal, int lots)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Worker.Concurrency }) { BaseAddress = portal };
        var token = await http.PostAsync("sso/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = PortalSimulatorServer.ClientId, ["client_secret"] = PortalSimulatorServer.ClientSecret,
        }));
        http.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!);

        var product = await CreateAsync(http, "ToChuc_SanPham", "idSanPham", new
        {
            maSoThue = "5000888888", maBarcode = "08938888000015", tenSanPham = "Cam sành Hàm Yên", donViTinh = "kg",
            xuatXu = "Tuyên Quang", moTa = (string?)null, hinhAnh = (string?)null, thuongHieu = "Hàm Yên", tieuChuanApDung = new[] { "VietGAP" },
        });
        var lotIds = new string[lots];
        await InBatchesAsync(lots, async i => lotIds[i] = await CreateAsync(http, "ToChuc_LoHang", "idLoHang", new
        {
            idSanPham = product, soLo = $"L{i}", ngaySanXuat = "2026-10-01", hanSuDung = "2027-03-01", soLuong = 1000m, donViTinh = "KGM",
        }));
        var start = new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.FromHours(7));
        await InBatchesAsync(lots * LookupScenario.EventsPerLot, i => CreateAsync(http, "ToChuc_SuKien", "idSuKien", new
        {
            idLoHang = lotIds[i / LookupScenario.EventsPerLot], maSuKien = $"urn:uuid:{Guid.NewGuid()}", congDoan = "vanChuyen",
            thoiGian = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"), maTruyVetSanPham = $"08938888000015.L{i / 10}",
            maTruyVetDiaDiem = "urn:epc:id:sgln:8938888.00001.0", tenDiaDiem = (string?)null, diaChi = (string?)null,
            moTa = "ObjectEvent OBSERVE shipping in_progress",
        }));
        await Console.In.ReadToEndAsync();
    }

    private static async Task InBatchesAsync(int count, Func<int, Task> work)
    {
        for (var first = 0; first < count; first += Worker.BatchSize)
        {
            var batchStart = first;
            await LoadTool.ForEachAsync(Math.Min(Worker.BatchSize, count - first), Worker.Concurrency, i => work(batchStart + i));
        }
    }

    private static async Task<string> CreateAsync(HttpClient http, string resource, string idField, object body)
    {
        using var response = await http.PostAsJsonAsync("gw/tochuc/v5/" + resource, body);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"{resource}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())![idField]!;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}
