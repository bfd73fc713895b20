using System.Reflection;

namespace Traceability.ServiceDefaults.Http;

/// <summary>The bytes of a file embedded in a module's assembly (its stylesheet, script): read once, at start.</summary>
public static class EmbeddedAssets
{
    public static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The asset {resource} is not embedded in {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
