using Traceability.Domain;
using System.Text.Json.Nodes;
using Traceability.Ingestion.Api.Catalog;
using static Traceability.Standalone.Demo.DemoData;

namespace Traceability.Standalone.Demo;

/// <summary>The lots of the demo and the life of each as EPCIS 2.0 documents, relative to today.</summary>
internal sealed class DemoStory(DateTimeOffset now, Func<string, string> location)
{
    public sealed record DemoLot(string Producer, LotRequest Request);

    private static string Gtin(int product) => Products[product].Gtin.PadLeft(14, '0');

    private static string Class(int product, string lot) => $"https://id.gs1.org/01/{Gtin(product)}/10/{lot}";

    public IEnumerable<DemoLot> Lots(DateOnly today) =>
    [
        new("cam", new LotRequest(Gtin(0), "CS-2611A", today.AddDays(-5), today.AddDays(25), 1200, "hộp", "VT-PHULUU")),
        new("cam", new LotRequest(Gtin(0), "CS-2609B", today.AddDays(-70), today.AddDays(-10), 800, "hộp", "VT-PHULUU")),
        new("che", new LotRequest(Gtin(1), "LT-2611-01", today.AddDays(-10), today.AddDays(-3), 500, "kg", "VT-SINHLONG")),
        new("chebien", new LotRequest(Gtin(2), "TS-2611-01", today.AddDays(-8), today.AddDays(357), 2000, "gói", "NM-TUYENQUANG")),
        new("sam", new LotRequest(Gtin(3), "SLC-2610-07", today.AddDays(-30), today.AddDays(60), 300, "củ", "VT-TALENG")),
        new("sam", new LotRequest(Gtin(3), "SLC-2611-02", today.AddDays(-6), today.AddDays(84), 250, "củ", "VT-TALENG")),
    ];

    public IEnumerable<(string Producer, JsonObject Document)> Documents()
    {
        yield return ("cam", Document(
            Harvest(Class(0, "CS-2611A"), 1200, "VT-PHULUU", -6),
            Step("packing", Class(0, "CS-2611A"), 1200, "SC-HAMYEN", -5),
            Ship(Class(0, "CS-2611A"), 1200, "SC-HAMYEN", "KHO-HN", -4),
            Step("receiving", Class(0, "CS-2611A"), 1200, "KHO-HN", -3, "in_progress"),
            Step("storing", Class(0, "CS-2611A"), 1200, "KHO-HN", -3, "in_progress"),
            Ship(Class(0, "CS-2611A"), 200, "KHO-HN", "CH-HOANKIEM", -2),
            Step("receiving", Class(0, "CS-2611A"), 200, "CH-HOANKIEM", -2, "in_progress", hours: 6),
            Step("retail_selling", Class(0, "CS-2611A"), 20, "CH-HOANKIEM", -1, "retail_sold"),
            Harvest(Class(0, "CS-2609B"), 800, "VT-PHULUU", -71),
            Step("packing", Class(0, "CS-2609B"), 800, "SC-HAMYEN", -70),
            Ship(Class(0, "CS-2609B"), 800, "SC-HAMYEN", "CH-HOANKIEM", -69)));

        yield return ("che", Document(
            Harvest(Class(1, "LT-2611-01"), 500, "VT-SINHLONG", -10, "KGM"),
            Ship(Class(1, "LT-2611-01"), 500, "VT-SINHLONG", "NM-TUYENQUANG", -9, "KGM")));

        // The processor turns the cooperative's fresh leaves into packed tea: one step back across producers.
        yield return ("chebien", Document(
            Transform(Class(1, "LT-2611-01"), 500, "KGM", Class(2, "TS-2611-01"), 2000, "NM-TUYENQUANG", -8),
            Step("packing", Class(2, "TS-2611-01"), 2000, "NM-TUYENQUANG", -7),
            Ship(Class(2, "TS-2611-01"), 300, "NM-TUYENQUANG", "CH-TPHCM", -5),
            Step("retail_selling", Class(2, "TS-2611-01"), 40, "CH-TPHCM", -2, "retail_sold")));

        yield return ("sam", Document(
            Harvest(Class(3, "SLC-2610-07"), 300, "VT-TALENG", -31),
            Step("packing", Class(3, "SLC-2610-07"), 300, "SC-TAMDUONG", -30),
            Ship(Class(3, "SLC-2610-07"), 100, "SC-TAMDUONG", "CH-LAICHAU", -29),
            Step("retail_selling", Class(3, "SLC-2610-07"), 12, "CH-LAICHAU", -20, "retail_sold"),
            Harvest(Class(3, "SLC-2611-02"), 250, "VT-TALENG", -7),
            Step("packing", Class(3, "SLC-2611-02"), 250, "SC-TAMDUONG", -6)));
    }

    private static JsonObject Document(params JsonObject[] events) => new()
    {
        ["@context"] = new JsonArray("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"),
        ["type"] = "EPCISDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = DateTimeOffset.UtcNow.ToString("O"),
        ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray(events) },
    };

    private string Time(int days, int hours = 0) =>
        now.ToOffset(VietnamTime.Offset).Date.AddDays(days).AddHours(8 + hours).ToString("yyyy-MM-ddTHH:mm:ss") + "+07:00";

    private JsonObject Base(string type, string bizStep, string? place, int days, int hours = 0, string? disposition = null)
    {
        var e = new JsonObject
        {
            ["type"] = type,
            ["eventTime"] = Time(days, hours),
            ["eventTimeZoneOffset"] = "+07:00",
        };
        if (type == "ObjectEvent") e["action"] = bizStep == "commissioning" ? "ADD" : "OBSERVE";
        e["bizStep"] = bizStep;
        if (disposition is not null) e["disposition"] = disposition;
        if (place is not null)
        {
            e["readPoint"] = new JsonObject { ["id"] = location(place) };
            e["bizLocation"] = new JsonObject { ["id"] = location(place) };
        }
        return e;
    }

    private static JsonArray Quantity(string epcClass, decimal quantity, string? uom)
    {
        var q = new JsonObject { ["epcClass"] = epcClass, ["quantity"] = quantity };
        if (uom is not null) q["uom"] = uom;
        return [q];
    }

    private JsonObject Harvest(string epcClass, decimal quantity, string place, int days, string? uom = null)
    {
        var e = Base("ObjectEvent", "commissioning", place, days, disposition: "active");
        e["quantityList"] = Quantity(epcClass, quantity, uom);
        e["ilmd"] = new JsonObject { ["cbvmda:harvestStartDate"] = Time(days)[..10] };
        return e;
    }

    private JsonObject Step(string bizStep, string epcClass, decimal quantity, string place, int days,
        string disposition = "in_progress", int hours = 0, string? uom = null)
    {
        var e = Base("ObjectEvent", bizStep, place, days, hours, disposition);
        e["quantityList"] = Quantity(epcClass, quantity, uom);
        return e;
    }

    private JsonObject Ship(string epcClass, decimal quantity, string from, string to, int days, string? uom = null)
    {
        var e = Base("ObjectEvent", "shipping", from, days, disposition: "in_transit");
        e["quantityList"] = Quantity(epcClass, quantity, uom);
        e["sourceList"] = new JsonArray(new JsonObject { ["type"] = "location", ["source"] = location(from) });
        e["destinationList"] = new JsonArray(new JsonObject { ["type"] = "location", ["destination"] = location(to) });
        return e;
    }

    private JsonObject Transform(string input, decimal inQty, string inUom, string output, decimal outQty, string place, int days)
    {
        var e = Base("TransformationEvent", "commissioning", place, days, disposition: "active");
        e["inputQuantityList"] = Quantity(input, inQty, inUom);
        e["outputQuantityList"] = Quantity(output, outQty, null);
        return e;
    }
}
