namespace Traceability.Authority.Api.Inspections;

/// <summary>Bound from "Inspections".</summary>
public sealed class InspectionOptions
{
    public const string Section = "Inspections";

    /// <summary>Largest photo accepted as evidence (default 5 MB).</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int MaxPhotoBytes { get; set; } = 5 * 1024 * 1024;
}
