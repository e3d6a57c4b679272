using System.Net;
using System.Text.Json.Nodes;
using ForgetLab.Dashboard.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The host-paths finding (high, finding 2): a tenant's spec that names a file of the server's host
/// is a 400 at that field, through the API and the dashboard alike, and says nothing about whether
/// the path exists. Only an operator's spec directory lets specs name files, and then none outside it.
/// </summary>
public sealed class HostPathTests(PlatformFixture platform)
{
    private const string Name = "host-paths";

    public static TheoryData<string> HostFiles => ["/etc/passwd", "../../../../etc/passwd", "/proc/self/environ", "/dev/zero", ".forgetlab/admin.key"];

    [Theory]
    [MemberData(nameof(HostFiles))]
    public async Task HostPathsFinding_ASuiteNamingAHostFileIsA400AtItsFieldAndNothingIsStored(string path)
    {
        var (_, key) = await platform.NewTenant("paths");
        using var client = platform.Server.Client(key);

        var (status, problem) = await client.SubmitYaml(WithSuite(Specs.Valid(Name), path)).Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("a suite file path is not accepted on the platform", (string)problem!["errors"]!["suites[1]"]![0]!);
        Assert.Empty((await client.Get("api/v1/experiments").Json()).Body!.AsArray());
    }

    [Fact]
    public async Task HostPathsFinding_ABasePathAnswersTheSameWhetherTheHostFolderExistsOrNot()
    {
        var (_, key) = await platform.NewTenant("paths");
        using var client = platform.Server.Client(key);

        var etc = await client.SubmitYaml(WithBasePath(Specs.Valid(Name), "/etc")).Json();
        var none = await client.SubmitYaml(WithBasePath(Specs.Valid(Name), "/no/such/folder")).Json();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (etc.Status, none.Status));
        Assert.Equal(Message(etc.Body, "base.path"), Message(none.Body, "base.path"));
        Assert.Contains("name it with base.model_ref", Message(etc.Body, "base.path"));
    }

    [Fact]
    public void HostPathsFinding_TheDashboardsSubmitRefusesAHostPathAtItsField()
    {
        var dashboard = platform.Server.Services.GetRequiredService<IDashboardData>();

        var errors = dashboard.Validate(WithSuite(Specs.Valid(Name), "/etc/passwd"));

        Assert.Equal("suites[1]", Assert.Single(errors).Path);
    }

    [Fact]
    public async Task AnOperatorsSpecDirectoryLetsSpecsNameItsFilesAndNothingOutsideIt()
    {
        var dir = Directory.CreateTempSubdirectory("forgetlab-specdir-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "suites"));
        File.WriteAllText(Path.Combine(dir, "suites", "mine.yaml"), "task: mine\ncategory: skill\noutput_type: generate_until\ndataset_path: mine.jsonl\n");
        File.WriteAllText(Path.Combine(dir, "suites", "mine.jsonl"), "{\"id\":\"a\",\"prompt\":\"1 + 1 =\",\"target\":\"2\"}\n");
        File.CreateSymbolicLink(Path.Combine(dir, "suites", "passwd.yaml"), "/etc/passwd");
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, $"specdir-{Guid.NewGuid():N}"[..20], PlatformFixture.AdminKey,
            "--ForgetLab:Experiments:SpecBaseDirectory", dir);
        var (_, key) = await PlatformFixture.NewTenant(server, "specdir");
        using var client = server.Client(key);

        var inside = await client.SubmitYaml(WithSuite(Specs.Valid(Name), "suites/mine.yaml")).Json();
        var linkOut = await client.SubmitYaml(WithSuite(Specs.Valid(Name), "suites/passwd.yaml")).Json();
        var climbing = await client.SubmitYaml(WithSuite(Specs.Valid(Name), "../../../../etc/passwd")).Json();
        var absolute = await client.SubmitYaml(WithSuite(Specs.Valid(Name), "/etc/passwd")).Json();
        // The stored spec is read again (report, dashboard) under the rule it was accepted under.
        var report = await client.Get($"api/v1/experiments/{Name}/report").Json();
        await client.Post($"api/v1/experiments/{Name}/cancel");

        Assert.Equal(HttpStatusCode.Created, inside.Status);
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Contains("leads outside the spec directory", Message(linkOut.Body, "suites[1]"));
        Assert.Contains("must not contain '..'", Message(climbing.Body, "suites[1]"));
        Assert.Contains("must be relative to the spec directory, not absolute", Message(absolute.Body, "suites[1]"));
        Directory.Delete(dir, recursive: true);
    }

    private static string Message(JsonNode? problem, string path) => (string)problem!["errors"]![path]![0]!;

    private static string WithSuite(string spec, string path) => spec.Replace("[target, capitals_recall]", $"[target, '{path}']", StringComparison.Ordinal);

    private static string WithBasePath(string spec, string path)
    {
        var start = spec.IndexOf("base:", StringComparison.Ordinal);
        var end = spec.IndexOf("target:", start, StringComparison.Ordinal);
        return spec[..start] + $"base:\n  path: '{path}'\n" + spec[end..];
    }
}
