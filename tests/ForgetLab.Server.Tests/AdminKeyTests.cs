namespace ForgetLab.Server.Tests;

/// <summary>Issue 10, finding 6: the admin key never travels on a command line, where every local user reads it (ps).</summary>
public sealed class AdminKeyTests
{
    [Fact]
    public void Finding6AnAdminKeyOnTheCommandLineStopsTheServerBeforeItStarts()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Program.Build(["--urls", "http://127.0.0.1:0", "--ForgetLab:AdminKey", "visible-to-ps"]));

        Assert.Contains("--ForgetLab:AdminKeyFile PATH", e.Message);
        Assert.Contains("ForgetLab__AdminKey", e.Message);
        Assert.DoesNotContain("visible-to-ps", e.Message);
    }

    [Fact]
    public void AMissingAdminKeyFileStopsTheServerNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"forgetlab-missing-{Guid.NewGuid():N}.key");

        var e = Assert.Throws<InvalidOperationException>(() => Program.Build(["--urls", "http://127.0.0.1:0", "--ForgetLab:AdminKeyFile", path]));

        Assert.Equal($"The admin key file '{path}' (ForgetLab:AdminKeyFile) does not exist.", e.Message);
    }

    [Fact]
    public void TheScriptsThatStartServersPassTheAdminKeyAsAFile()
    {
        foreach (var script in new[] { "forgetlab", "tools/demo/two-nodes.sh" })
        {
            var text = File.ReadAllText(Path.Combine(RepoPaths.Root, script));

            Assert.Contains("--ForgetLab:AdminKeyFile", text);
            Assert.DoesNotContain("--ForgetLab:AdminKey \"", text);
            Assert.DoesNotContain("Authorization: Bearer $admin\"", text);
        }
    }
}
