using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Traceability.Lookup.Api.Signing;

namespace Traceability.Verification.Tests;

/// <summary>
/// The inspector app (clients/inspector-web) as the .NET build sees it: a committed bundle
/// (dist/app.js, dist/sw.js) that must match its sources, and the offline vectors (test/vectors.json)
/// that the app's signature check and the service's LabelSignature must both pass.
/// </summary>
public sealed class InspectorBundleTests
{
    private static readonly string App = Repository.File("clients", "inspector-web");

    /// <summary>
    /// The hash of scripts/sources-hash.mjs: src/**/*.js, package.json and package-lock.json by
    /// relative path ('/' separators, ordinal order); per file its path's UTF-8 bytes, a 0 byte,
    /// its bytes with CRLF turned into LF, a 0 byte.
    /// </summary>
    internal static string SourcesHash(string root)
    {
        var files = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.js", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Append("package.json").Append("package-lock.json")
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path));
            hash.AppendData([0]);
            hash.AppendData(WithoutCarriageReturns(File.ReadAllBytes(Path.Combine(root, path))));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] WithoutCarriageReturns(byte[] bytes)
    {
        var output = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
            if (!(bytes[i] == '\r' && i + 1 < bytes.Length && bytes[i + 1] == '\n')) output.Add(bytes[i]);
        return [.. output];
    }

    [Fact]
    public void The_committed_bundle_is_built_from_the_current_sources()
    {
        Assert.True(File.Exists(Path.Combine(App, "dist", "app.js")) && File.Exists(Path.Combine(App, "dist", "sw.js")),
            "the inspector bundle (clients/inspector-web/dist/app.js, sw.js) is missing: run `npm ci && npm run build` in clients/inspector-web");
        var recordFile = Path.Combine(App, "dist", "sources.sha256");
        var recorded = File.Exists(recordFile) ? File.ReadAllText(recordFile).Trim() : "(no dist/sources.sha256)";
        var actual = SourcesHash(App);
        Assert.True(recorded == actual,
            $"the inspector bundle is stale: run `npm ci && npm run build` in clients/inspector-web (sources {actual}, bundle built from {recorded})");
    }

    [Fact]
    public async Task The_hash_is_the_one_the_npm_script_writes()
    {
        Assert.SkipWhen(Repository.Node is null, "node is not on PATH: the npm script's own hash (scripts/sources-hash.mjs) was not compared");
        using var node = Process.Start(new ProcessStartInfo(Repository.Node!, [Path.Combine(App, "scripts", "sources-hash.mjs")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, await node.StandardError.ReadToEndAsync());
        Assert.Equal(SourcesHash(App), output.Trim());
    }

    [Fact]
    public void A_changed_source_changes_the_hash_and_line_endings_do_not()
    {
        var copy = Directory.CreateTempSubdirectory("inspector-hash-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(copy, "src", "lib"));
            File.WriteAllText(Path.Combine(copy, "src", "a.js"), "export const a = 1;\nexport const b = 2;\n");
            File.WriteAllText(Path.Combine(copy, "src", "lib", "c.js"), "export const c = 3;\n");
            File.WriteAllText(Path.Combine(copy, "src", "notes.txt"), "not a source");
            File.WriteAllText(Path.Combine(copy, "package.json"), "{}\n");
            File.WriteAllText(Path.Combine(copy, "package-lock.json"), "{}\n");
            var before = SourcesHash(copy);

            File.WriteAllText(Path.Combine(copy, "src", "a.js"), "export const a = 1;\r\nexport const b = 2;\r\n");
            File.WriteAllText(Path.Combine(copy, "src", "notes.txt"), "still not a source");
            Assert.Equal(before, SourcesHash(copy));

            File.WriteAllText(Path.Combine(copy, "src", "lib", "c.js"), "export const c = 4;\n");
            Assert.NotEqual(before, SourcesHash(copy));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>One vector table for the app's check (test/verdict.test.mjs) and the service's.</summary>
    [Fact]
    public void The_service_reads_every_signature_of_the_apps_vectors_as_the_app_does()
    {
        var vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(App, "test", "vectors.json")))!;
        var keys = JsonSerializer.Deserialize<JsonWebKeySet>(vectors["keys"]!.ToJsonString())!.Resolver();
        var cases = vectors["cases"]!.AsArray();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var expected = (string)c!["signature"]!;
            var actual = LabelSignature.Verify((string)c["code"]!, keys).Check switch
            {
                LabelSignature.Check.Valid => "valid",
                LabelSignature.Check.Invalid => "invalid",
                _ => "none",
            };
            if (actual != expected) failures.Add($"{(string)c["name"]!}: the app says {expected}, the service {actual}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }
}
