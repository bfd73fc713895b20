using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Authority.Api;
using Traceability.Authority.Api.EarlyWarning;
using Traceability.Domain;
using Traceability.Domain.Epcis;
using Traceability.Domain.Gs1;
using Traceability.Domain.Verification;
using Traceability.Storage;

namespace Traceability.Testing;

/// <summary>
/// Issue 19 point 4: simulated traffic of one province (Tuyên Quang) with labelled incidents and
/// decoys, fed through the real early-warning engine (the classes and DI registration the host uses,
/// over a SQLite store in a temporary directory) on a simulated clock, then scored against the labels.
/// The generator knows the labels; the engine sees only scans, complaints, inspections, recalls,
/// lots and shipping events, exactly as the host would store them.
/// </summary>
public static class EarlyWarningSimulation
{
    public const string Home = "Tuyên Quang";
    private static readonly (double Lat, double Lon) HomeGps = (21.823, 105.214);
    // The Monday 4 January 2027, 00:00 in Vietnam: six weeks from here hold the week before Tết Đinh Mùi (6 February 2027).
    private static readonly DateTimeOffset Start = new(2027, 1, 4, 0, 0, 0, VietnamTime.Offset);
    private static readonly string[] Categories = ["chè", "mật ong", "cam", "rượu", "gạo"];
    private static readonly string[] FarProvinces = ["Cà Mau", "An Giang", "Lâm Đồng", "Gia Lai", "Khánh Hòa", "Đắk Lắk"];
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMinutes(1);

    /// <summary>One run's outcome: the ranked alerts with their labels and the metrics of the issue.</summary>
    public sealed record Result(
        int Seed, int Days, int Scans, int Complaints, int Inspections,
        IReadOnlyList<Labelled> Ranked, IReadOnlyList<IncidentOutcome> Incidents, IReadOnlyList<DecoyOutcome> Decoys)
    {
        public double Weeks => Days / 7.0;
        public double PrecisionAt(int k) => Ranked.Count == 0 ? 1 : Ranked.Take(k).Count(a => a.Incident is not null) / (double)Math.Min(k, Ranked.Count);
        public double Recall => Incidents.Count(i => i.Found) / (double)Incidents.Count;
        public IReadOnlyList<TimeSpan> TimesToAlert => [.. Incidents.Where(i => i.TimeToAlert is not null).Select(i => i.TimeToAlert!.Value)];
        public int DecoyFalseAlarms => Ranked.Count(a => a.Incident is null && a.Decoy is not null);
        public int OtherFalseAlarms => Ranked.Count(a => a.Incident is null && a.Decoy is null);
    }

    /// <summary>An alert and what it is about according to the labels (null: not an incident, or no decoy).</summary>
    public sealed record Labelled(EarlyAlert Alert, string? Incident, string? Decoy);

    /// <param name="FirstKind">The kind of its first alert.</param>
    /// <param name="Evidence">How many of its scans, complaints or inspections had arrived by its first alert.</param>
    public sealed record IncidentOutcome(string Name, DateTimeOffset FirstScan, bool Found, TimeSpan? TimeToAlert, IReadOnlyList<string> Kinds,
        string? FirstKind = null, int? Evidence = null);

    public sealed record DecoyOutcome(string Name, int Alerts);

    /// <summary>A labelled case: an alert about it is one whose GTIN matches and whose lot and province match when both are set, seen from <see cref="From"/> to <see cref="To"/>.</summary>
    private sealed record Label(string Name, string Gtin, string? Lot, string? Province, DateTimeOffset From, DateTimeOffset To)
    {
        public DateTimeOffset FirstScan { get; set; } = DateTimeOffset.MaxValue;

        public bool Covers(EarlyAlert a) =>
            a.Gtin == Gtin && (Lot is null || a.Lot.Length == 0 || a.Lot == Lot)
            && (Province is null || a.Province.Length == 0 || a.Province == Province)
            && a.LastSeen >= From && a.FirstSeen <= To;
    }

    private sealed record Shop(string Code, string Name, string Province, int Size, int Opens, int Closes);

    private sealed record ProductSpec(string ProducerId, string Gtin, string Category, double Popularity, bool Serialised);

    private sealed record LotSpec(ProductSpec Product, string Number, int Size, DateOnly Expiry, Shop[] Shops, int FromDay);

    /// <summary>Something that happens at a simulated time.</summary>
    private abstract record Happening(DateTimeOffset Time);
    private sealed record ScanHappening(ScanRecord Scan, Label? Incident) : Happening(Scan.Time);
    private sealed record ComplaintHappening(DateTimeOffset At, string Gtin, string Lot, Label? Incident) : Happening(At);
    private sealed record InspectionHappening(DateTimeOffset At, string Gtin, string Lot, string Result, Label? Incident) : Happening(At);
    private sealed record RecallHappening(DateTimeOffset At, string Gtin, string Lot, string ProducerId) : Happening(At);

    /// <summary>The clock the engine reads: the time of what is being fed, never the wall clock.</summary>
    private sealed class SimulatedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = Start;
        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }

    /// <summary>Generates <paramref name="days"/> days of traffic from <paramref name="seed"/>, feeds them to the engine and evaluates its alerts.</summary>
    /// <param name="threshold">EarlyWarning:Threshold for the run; null: the host's default.</param>
    public static async Task<Result> RunAsync(int seed, int days, double? threshold = null, Action<string>? progress = null, CancellationToken ct = default)
    {
        // In memory where there is a tmpfs: the run is about the engine's answers, not the disk's speed.
        var directory = Directory.Exists("/dev/shm") ? Directory.CreateDirectory(Path.Combine("/dev/shm", $"ew-eval-{Guid.NewGuid():N}"))
            : Directory.CreateTempSubdirectory("ew-eval-");
        try
        {
            var clock = new SimulatedClock();
            var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = directory.FullName };
            if (threshold is { } t) settings["EarlyWarning:Threshold"] = t.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddLogging()
                .AddMetrics()
                .AddSingleton<TimeProvider>(clock)
                .AddSingleton<AuthorityTelemetry>();
            services.AddSqliteTraceStore();
            services.AddEarlyWarning();
            await using var provider = services.BuildServiceProvider();
            var world = new World(new Random(seed), days);
            var happenings = world.Generate();
            await world.StoreAsync(provider, ct);
            var (scans, complaints, inspections) = await FeedAsync(provider, clock, happenings, progress, ct);

            var ranked = new List<EarlyAlert>();
            var store = provider.GetRequiredService<IEarlyWarningStore>();
            for (var offset = 0; ; offset += 200)
            {
                var (items, total) = await store.ListEarlyAlertsAsync(new EarlyAlertQuery(Offset: offset, Limit: 200), ct);
                ranked.AddRange(items);
                if (ranked.Count >= total || items.Count == 0) break;
            }
            var labelled = ranked.Select(a => new Labelled(a,
                world.Incidents.FirstOrDefault(i => i.Covers(a))?.Name, world.Decoys.FirstOrDefault(d => d.Covers(a))?.Name)).ToList();
            var incidents = world.Incidents.Select(i =>
            {
                var found = labelled.Where(a => a.Incident == i.Name).ToList();
                var firstAlert = found.MinBy(a => a.Alert.FirstSeen)?.Alert;
                // How many pieces of its evidence had arrived when it alarmed (the n-th scan, complaint or inspection).
                int? evidence = firstAlert is null ? null : happenings.Count(h => h.Time <= firstAlert.FirstSeen && World.IsOf(h, i));
                return new IncidentOutcome(i.Name, i.FirstScan, found.Count > 0, firstAlert?.FirstSeen - i.FirstScan,
                    [.. found.Select(a => a.Alert.Kind).Distinct().Order()], firstAlert?.Kind, evidence);
            }).ToList();
            var decoys = world.Decoys.Select(d => new DecoyOutcome(d.Name, labelled.Count(a => a.Incident is null && a.Decoy == d.Name))).ToList();
            return new Result(seed, days, scans, complaints, inspections, labelled, incidents, decoys);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// As the host does: scans go in the scan log writer's batches (stored, then shown to the engine;
    /// a batch closes after a minute of simulated time or 500 scans), complaints and inspections are
    /// shown as they are stored, recalls are stored. The clock stands at each one's time.
    /// </summary>
    private static async Task<(int Scans, int Complaints, int Inspections)> FeedAsync(
        IServiceProvider provider, SimulatedClock clock, List<Happening> happenings, Action<string>? progress, CancellationToken ct)
    {
        var engine = provider.GetRequiredService<EarlyWarningEngine>();
        var scanStore = provider.GetRequiredService<IScanStore>();
        var recalls = provider.GetRequiredService<IRecallStore>();
        var batch = new List<ScanRecord>();
        int scans = 0, complaints = 0, inspections = 0, day = -1;
        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            clock.Now = batch[^1].Time;
            await scanStore.AddScansAsync(batch, ct);
            await engine.ObserveAsync(batch, ct);
            scans += batch.Count;
            batch.Clear();
        }
        foreach (var h in happenings)
        {
            if (batch.Count > 0 && (h.Time - batch[0].Time >= BatchWindow || batch.Count >= 500)) await FlushAsync();
            var today = (int)(h.Time - Start).TotalDays;
            if (today != day && progress is not null) progress($"day {today + 1}: {scans:N0} scans fed");
            day = today;
            switch (h)
            {
                case ScanHappening s:
                    batch.Add(s.Scan);
                    continue;
                case ComplaintHappening c:
                    await FlushAsync();
                    clock.Now = c.At;
                    await engine.ObserveComplaintAsync(new ConsumerReport($"rp-{complaints}", c.At, $"https://id.gs1.org/01/{c.Gtin}/10/{c.Lot}",
                        LotKey.Of(c.Gtin, c.Lot), "quality", "Sản phẩm có vấn đề", null, ReportStatus.New, c.At), ct);
                    complaints++;
                    break;
                case InspectionHappening i:
                    await FlushAsync();
                    clock.Now = i.At;
                    await engine.ObserveInspectionAsync(new Inspection($"in-{inspections}", "ins-sim", i.At, i.At,
                        $"https://id.gs1.org/01/{i.Gtin}/10/{i.Lot}", LotKey.Of(i.Gtin, i.Lot), i.Result, null, HomeGps.Lat, HomeGps.Lon, null, null), ct);
                    inspections++;
                    break;
                case RecallHappening r:
                    await FlushAsync();
                    clock.Now = r.At;
                    await recalls.AddRecallAsync(new Recall($"rc-{r.Gtin}-{r.Lot}", r.Gtin, [r.Lot], "Nhiễm khuẩn", "high", "staff-sim", r.ProducerId, r.At),
                        [new OutboxMessage(OutboxKind.Recall, $"rc-{r.Gtin}-{r.Lot}", OutboxKind.Lot, LotKey.Of(r.Gtin, r.Lot), null)], ct);
                    break;
            }
        }
        await FlushAsync();
        return (scans, complaints, inspections);
    }

    /// <summary>The province's producers, products, shops and lots, and the traffic with its labels.</summary>
    private sealed class World
    {
        private readonly Random _random;
        private readonly int _days;
        private readonly List<ProductSpec> _products = [];
        private readonly List<LotSpec> _lots = [];
        private readonly List<Shop> _shops =
        [
            new("CH-TQ1", "Chợ Tam Cờ", Home, 3, 6, 18), new("CH-TQ2", "Tạp hóa Minh Xuân", Home, 1, 7, 21),
            new("CH-TQ3", "Cửa hàng đặc sản Hàm Yên", Home, 2, 7, 20), new("CH-TQ4", "Chợ Chiêm Hóa", Home, 2, 6, 17),
            new("CH-TQ5", "Tạp hóa Sơn Dương", Home, 1, 7, 21), new("CH-TQ6", "Cửa hàng OCOP Na Hang", Home, 1, 8, 20),
            new("ST-HN1", "Siêu thị Đống Đa", "Hà Nội", 3, 8, 22), new("CH-HN2", "Cửa hàng nông sản Cầu Giấy", "Hà Nội", 2, 8, 21),
            new("CH-HN3", "Chợ Long Biên", "Hà Nội", 2, 4, 12), new("CH-PT1", "Chợ Việt Trì", "Phú Thọ", 2, 6, 18),
            new("CH-PT2", "Tạp hóa Phù Ninh", "Phú Thọ", 1, 7, 21), new("CH-TN1", "Chợ Thái", "Thái Nguyên", 2, 6, 18),
        ];
        private readonly int _warmUp;
        private readonly int _tetFrom;

        public List<Label> Incidents { get; } = [];
        public List<Label> Decoys { get; } = [];

        public World(Random random, int days)
        {
            _random = random;
            _days = days;
            // Incidents and the decoys that need a history come after a warm-up, so the engine has a baseline to learn.
            _warmUp = Math.Min(14, days / 2);
            _tetFrom = days >= 28 ? days - 13 : -1;
            for (var p = 0; p < 5; p++)
            {
                var producerId = $"p-sim-{p}";
                for (var i = 0; i < 4; i++)
                {
                    var body = $"0893600{p + 1}{i + 1:D4}0";
                    var gtin = body + Gs1CheckDigit.Compute(body);
                    _products.Add(new(producerId, gtin, Categories[(p + i) % Categories.Length], 1 + _random.NextDouble() * 5, Serialised: p < 2));
                }
            }
            foreach (var product in _products)
            {
                // A lot a week per product, shipped to 3 of the shops (always one at home) on its first day.
                for (var week = -1; week * 7 < days; week++)
                {
                    var shops = _shops.Where(s => s.Province == Home).OrderBy(_ => _random.Next()).Take(1)
                        .Concat(_shops.OrderBy(_ => _random.Next()).Take(2)).Distinct().ToArray();
                    _lots.Add(new(product, $"L{week + 2:D2}{_random.Next(100):D2}", 200 * _random.Next(1, 10), DateOnly.FromDateTime(Start.Date).AddDays(180 + 7 * week),
                        shops, Math.Max(0, week * 7)));
                }
            }
        }

        /// <summary>Producers, products, shops (as each producer's locations), lots with their shipping events.</summary>
        public async Task StoreAsync(IServiceProvider provider, CancellationToken ct)
        {
            var accounts = provider.GetRequiredService<IAccountStore>();
            var catalog = provider.GetRequiredService<ICatalogStore>();
            var events = provider.GetRequiredService<IEventStore>();
            var at = Start.AddDays(-30);
            foreach (var producerId in _products.Select(p => p.ProducerId).Distinct())
            {
                await accounts.AddProducerAsync(new Producer(producerId, $"HTX {producerId}", $"01000001{producerId[^1]}0", "Xã Phù Lưu", Home, null, ["893600"], at),
                    new ApiKeyRecord($"k-{producerId}", new byte[16], new byte[32], Role.Producer, producerId, null, at), ct);
                await catalog.AddLocationAsync(new Location(producerId, "KHO", "Kho", "warehouse", null, Home, HomeGps.Lat, HomeGps.Lon, null, at), ct);
                foreach (var shop in _shops)
                    await catalog.AddLocationAsync(new Location(producerId, shop.Code, shop.Name, "retail", null, shop.Province, null, null, null, at), ct);
            }
            foreach (var p in _products)
                await catalog.AddProductAsync(new Product(p.Gtin, p.ProducerId, new LocalizedText($"Đặc sản {p.Category}"), null, null, p.Category, null, [], null, at, at),
                    new OutboxMessage(OutboxKind.Product, p.Gtin, null, null, null), ct);
            foreach (var lot in _lots)
            {
                var producerId = lot.Product.ProducerId;
                await catalog.AddLotAsync(new Lot(lot.Product.Gtin, lot.Number, producerId, null, lot.Expiry, lot.Size, "hộp", $"urn:x-traceability:loc:{producerId}:KHO", at),
                    new OutboxMessage(OutboxKind.Lot, LotKey.Of(lot.Product.Gtin, lot.Number), OutboxKind.Product, lot.Product.Gtin, null), ct);
                var json = new JsonObject
                {
                    ["type"] = "ObjectEvent",
                    ["eventTime"] = Start.AddDays(lot.FromDay).ToString("yyyy-MM-ddTHH:mm:sszzz"),
                    ["eventTimeZoneOffset"] = "+07:00",
                    ["action"] = "OBSERVE",
                    ["bizStep"] = "shipping",
                    ["disposition"] = "in_transit",
                    ["bizLocation"] = new JsonObject { ["id"] = $"urn:x-traceability:loc:{producerId}:KHO" },
                    ["quantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{lot.Product.Gtin}/10/{lot.Number}", ["quantity"] = lot.Size }),
                    ["destinationList"] = new JsonArray([.. lot.Shops.Select(s => (JsonNode)new JsonObject
                        { ["type"] = "location", ["destination"] = $"urn:x-traceability:loc:{producerId}:{s.Code}" })]),
                };
                var e = EpcisJson.ParseEvent(JsonDocument.Parse(json.ToJsonString()).RootElement).Events.Single();
                var stored = new StoredEvent(e.EventId, producerId, e.Type, e.EventTime, at, e.Action, e.BizStep, e.Disposition,
                    e.ReadPointKey, e.BizLocationKey, e.ToJson(), e.Keys, "sim");
                await events.CaptureAsync(new CaptureJob($"sim-{lot.Product.Gtin}-{lot.Number}", producerId, false, true, at, at, [], 1, 0), [stored], [], ct);
            }
        }

        /// <summary>Every happening of the run, in time order.</summary>
        public List<Happening> Generate()
        {
            var list = new List<Happening>();
            for (var day = 0; day < _days; day++) Background(day, list);
            Incident(list);
            DecoysOf(list);
            FirstScans(list);
            return [.. list.OrderBy(h => h.Time)];
        }

        private bool IsTet(int day) => _tetFrom >= 0 && day >= _tetFrom && day < _tetFrom + 7;

        /// <summary>The lots a shop has on its shelves on a day: the two newest shipped to it.</summary>
        private LotSpec[] OnShelf(ProductSpec product, Shop shop, int day) =>
            [.. _lots.Where(l => l.Product == product && l.FromDay <= day && l.Shops.Contains(shop)).OrderByDescending(l => l.FromDay).Take(2)];

        /// <summary>
        /// Ordinary traffic: consumers look up what they buy in open shops (the busier the shop, the
        /// product and the lot, the more; Sunday and Tết busier), some without a place, a few from far
        /// away (travellers); typos give unknown codes; complaints and inspections at their usual rates.
        /// </summary>
        private void Background(int day, List<Happening> list)
        {
            var dayStart = Start.AddDays(day);
            var factor = (dayStart.DayOfWeek == DayOfWeek.Sunday ? 1.3 : 1.0) * (IsTet(day) ? 4 : 1);
            foreach (var product in _products)
            {
                foreach (var shop in _shops)
                {
                    var shelf = OnShelf(product, shop, day);
                    if (shelf.Length == 0) continue;
                    var n = Poisson(product.Popularity * shop.Size * factor);
                    for (var i = 0; i < n; i++)
                    {
                        var lot = shelf[_random.Next(100) < 70 ? 0 : shelf.Length - 1];
                        var at = OpenHour(dayStart, shop);
                        var province = _random.Next(100) switch { < 15 => null, 15 => FarProvinces[_random.Next(FarProvinces.Length)], _ => shop.Province };
                        var typo = _random.Next(1000) < 3;
                        list.Add(new ScanHappening(new ScanRecord(at, LotKey.Of(product.Gtin, typo ? lot.Number + "X" : lot.Number),
                            product.Serialised && !typo ? $"S{_random.Next(lot.Size)}" : null, province, "mobile", Client(), Unknown: typo), null));
                    }
                }
                if (_random.NextDouble() < 0.03 * (IsTet(day) ? 2 : 1))
                    list.Add(new ComplaintHappening(dayStart.AddHours(8 + _random.NextDouble() * 12), product.Gtin, AnyLot(product, day).Number, null));
            }
            if (dayStart.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                for (var i = 0; i < 2; i++)
                {
                    var product = _products[_random.Next(_products.Count)];
                    list.Add(new InspectionHappening(dayStart.AddHours(8 + _random.NextDouble() * 8), product.Gtin, AnyLot(product, day).Number,
                        _random.Next(100) < 5 ? InspectionResults.Violation : InspectionResults.Compliant, null));
                }
            }
        }

        /// <summary>The labelled incidents, each starting at a random time after the warm-up, each on a different product.</summary>
        private void Incident(List<Happening> list)
        {
            var products = _products.OrderBy(_ => _random.Next()).ToList();
            var serialised = products.Where(p => p.Serialised).ToList();
            var plain = products.Where(p => !p.Serialised).ToList();

            // 1. A batch of labels with five copied serials, sold over two days at a market in a far province.
            {
                var product = serialised[0];
                var day = IncidentDay();
                var lot = OnShelf(product, _shops[0], day).FirstOrDefault() ?? AnyLot(product, day);
                var far = FarProvinces[_random.Next(FarProvinces.Length)];
                var label = Add(Incidents, new("cloned serials sold far away", product.Gtin, lot.Number, far, Start.AddDays(day), Start.AddDays(day + 3)));
                var serials = Enumerable.Range(0, 5).Select(_ => $"S{_random.Next(lot.Size)}").ToArray();
                var market = new Shop("FAR", "Chợ", far, 3, 6, 18);
                for (var d = day; d < day + 2; d++)
                    for (var i = 0; i < 60; i++)
                        list.Add(new ScanHappening(new ScanRecord(OpenHour(Start.AddDays(d), market), LotKey.Of(product.Gtin, lot.Number),
                            serials[_random.Next(serials.Length)], _random.Next(100) < 80 ? far : null, "mobile", Client()), label));
            }
            // 2. Counterfeit packs with invented lots at one market where the product is sold.
            {
                var product = plain[0];
                var day = IncidentDay();
                var market = _shops[_random.Next(_shops.Count)];
                var label = Add(Incidents, new("counterfeit packs with invented lots", product.Gtin, null, market.Province, Start.AddDays(day), Start.AddDays(day + 3)));
                var invented = Enumerable.Range(0, 3).Select(_ => $"L{_random.Next(100, 999)}").ToArray();
                for (var d = day; d < day + 2; d++)
                    for (var i = 0; i < 15; i++)
                        list.Add(new ScanHappening(new ScanRecord(OpenHour(Start.AddDays(d), market), LotKey.Of(product.Gtin, invented[_random.Next(3)]),
                            null, _random.Next(100) < 85 ? market.Province : null, "mobile", Client(), Unknown: true), label));
            }
            // 3. A recalled lot still on the shelves: the shops it went to keep selling it for three days.
            {
                var product = plain[1];
                var day = IncidentDay();
                var lot = _lots.Where(l => l.Product == product && l.FromDay <= day).MaxBy(l => l.FromDay)!;
                var at = Start.AddDays(day).AddHours(9 + _random.Next(6));
                list.Add(new RecallHappening(at, product.Gtin, lot.Number, product.ProducerId));
                // Every lookup of the lot after its recall is the incident, to the end of the run (its buyers keep scanning it).
                var label = Add(Incidents, new("recalled lot still on shelves", product.Gtin, lot.Number, null, at, Start.AddDays(_days)));
                for (var d = day; d < day + 3; d++)
                    foreach (var shop in lot.Shops)
                        for (var i = Poisson(product.Popularity * shop.Size * 0.6); i > 0; i--)
                        {
                            var t = OpenHour(Start.AddDays(d), shop);
                            if (t > at) list.Add(new ScanHappening(new ScanRecord(t, LotKey.Of(product.Gtin, lot.Number), null, shop.Province, "mobile", Client()), label));
                        }
            }
            // 4. A surge of complaints about one product: eight within six hours.
            {
                var product = plain[2];
                var day = IncidentDay();
                var at = Start.AddDays(day).AddHours(8 + _random.Next(6));
                var label = Add(Incidents, new("complaint surge", product.Gtin, null, null, at, at.AddDays(1)));
                for (var i = 0; i < 8; i++)
                    list.Add(new ComplaintHappening(at.AddMinutes(i * 45 * _random.NextDouble()), product.Gtin, AnyLot(product, day).Number, label));
            }
            // 5. An expired lot still on sale: an old lot whose shop keeps scanning it after its date.
            {
                var product = plain[3];
                var day = IncidentDay();
                var shop = _shops[_random.Next(_shops.Count)];
                var lot = new LotSpec(product, "OLD" + _random.Next(10, 99), 400, DateOnly.FromDateTime(Start.Date).AddDays(day - 1), [shop], 0);
                _lots.Add(lot);
                var label = Add(Incidents, new("expired lot still on sale", product.Gtin, lot.Number, null, Start.AddDays(day), Start.AddDays(day + 3)));
                for (var d = 0; d < day + 3 && d < _days; d++)
                    for (var i = Poisson(2 * shop.Size); i > 0; i--)
                        list.Add(new ScanHappening(new ScanRecord(OpenHour(Start.AddDays(d), shop), LotKey.Of(product.Gtin, lot.Number), null,
                            shop.Province, "mobile", Client()), d >= day ? label : null));
            }
            // 6. Inspectors find violations of one product three times in a day.
            {
                var product = serialised[1];
                var day = IncidentDay();
                var at = Start.AddDays(day).AddHours(8 + _random.Next(4));
                var label = Add(Incidents, new("inspections with violations", product.Gtin, null, Home, at, at.AddDays(1)));
                for (var i = 0; i < 3; i++)
                    list.Add(new InspectionHappening(at.AddMinutes(40 * i + _random.Next(30)), product.Gtin, AnyLot(product, day).Number,
                        i == 2 ? InspectionResults.Seized : InspectionResults.Violation, label));
            }
        }

        /// <summary>
        /// When each incident began to show: its first labelled happening, or for a lot's incident any
        /// scan of that lot (in its province) from the incident's start — the recalled lot's ordinary
        /// buyers are the incident too.
        /// </summary>
        private void FirstScans(List<Happening> list)
        {
            foreach (var h in list)
                foreach (var label in Incidents)
                    if (IsOf(h, label) && h.Time < label.FirstScan) label.FirstScan = h.Time;
        }

        /// <summary>Whether a happening is evidence of the incident (its own, or a scan of its lot from its start).</summary>
        public static bool IsOf(Happening h, Label label) => h switch
        {
            ScanHappening s => ReferenceEquals(s.Incident, label) || (label.Lot is not null && s.Scan.LotKey == LotKey.Of(label.Gtin, label.Lot)
                && (label.Province is null || s.Scan.Province == label.Province) && s.Time >= label.From),
            ComplaintHappening c => ReferenceEquals(c.Incident, label),
            InspectionHappening i => ReferenceEquals(i.Incident, label),
            _ => false,
        };

        /// <summary>Traffic that looks unusual and is not a risk.</summary>
        private void DecoysOf(List<Happening> list)
        {
            // A lot goes viral on social media in its own province: six times its lookups for three days, from new phones, where it is sold.
            {
                var product = _products[_random.Next(_products.Count)];
                var day = IncidentDay();
                var shops = _shops.Where(s => s.Province == Home).ToArray();
                var lot = _lots.Where(l => l.Product == product && l.FromDay <= day).MaxBy(l => l.FromDay)!;
                Add(Decoys, new("lot popular on social media", product.Gtin, null, Home, Start.AddDays(day), Start.AddDays(day + 3)));
                for (var d = day; d < day + 3 && d < _days; d++)
                    foreach (var shop in shops)
                        for (var i = Poisson(product.Popularity * shop.Size * 5); i > 0; i--)
                            list.Add(new ScanHappening(new ScanRecord(OpenHour(Start.AddDays(d), shop), LotKey.Of(product.Gtin, lot.Number),
                                product.Serialised ? $"S{_random.Next(lot.Size)}" : null, Home, "mobile", Client()), null));
            }
            // The big supermarket checks in its stock with one phone: every pack of one product's lots, some twice, within two hours.
            {
                var shop = _shops.First(s => s.Code == "ST-HN1");
                var day = IncidentDay();
                var product = _products.Where(p => p.Serialised && _lots.Any(l => l.Product == p && l.Shops.Contains(shop) && l.FromDay <= day))
                    .OrderBy(_ => _random.Next()).FirstOrDefault() ?? _products[0];
                var lots = _lots.Where(l => l.Product == product && l.Shops.Contains(shop) && l.FromDay <= day).ToArray();
                var at = Start.AddDays(day).AddHours(7);
                if (lots.Length == 0) return;
                Add(Decoys, new("large shop scanning its own stock", product.Gtin, null, shop.Province, at, at.AddDays(1)));
                for (var i = 0; i < 300; i++)
                {
                    var lot = lots[_random.Next(lots.Length)];
                    list.Add(new ScanHappening(new ScanRecord(at.AddSeconds(i * 20), LotKey.Of(product.Gtin, lot.Number),
                        $"S{(i % 250)}", shop.Province, "mobile", "st-hn1-stock-phone"), null));
                }
            }
            if (_tetFrom >= 0)
                foreach (var product in _products)
                    Add(Decoys, new("Tết peak", product.Gtin, null, null, Start.AddDays(_tetFrom), Start.AddDays(_tetFrom + 7)));
        }

        private static Label Add(List<Label> labels, Label label)
        {
            labels.Add(label);
            return label;
        }

        private int IncidentDay() => _warmUp + _random.Next(Math.Max(1, _days - _warmUp - 2));

        private LotSpec AnyLot(ProductSpec product, int day) => _lots.Where(l => l.Product == product && l.FromDay <= day).MaxBy(l => l.FromDay)!;

        /// <summary>A time while the shop is open: busier around 10:00 and 18:00.</summary>
        private DateTimeOffset OpenHour(DateTimeOffset dayStart, Shop shop)
        {
            var span = shop.Closes - shop.Opens;
            var u = (_random.NextDouble() + _random.NextDouble()) / 2; // triangular: the middle of the opening hours is busiest
            return dayStart.AddHours(shop.Opens + u * span);
        }

        private string Client() => _random.Next(100) < 10 ? $"c-regular-{_random.Next(300)}" : $"c-{_random.NextInt64():x}";

        private int Poisson(double lambda)
        {
            // Knuth's method for small λ, a normal approximation beyond.
            if (lambda > 50) return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * Gaussian()));
            var limit = Math.Exp(-lambda);
            var k = 0;
            for (var p = _random.NextDouble(); p > limit; p *= _random.NextDouble()) k++;
            return k;
        }

        private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
    }
}
