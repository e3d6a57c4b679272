namespace ForgetLab.Worker.Tests;

/// <summary>The worker finds the forgetlab CLI its jobs run: as configured, else in the repository's build output.</summary>
public class CliLocatorTests
{
    [Fact]
    public void AConfiguredPathThatDoesNotExistIsRefused()
    {
        var error = Assert.Throws<FileNotFoundException>(() => CliLocator.Find("/nowhere/forgetlab.dll"));

        Assert.Contains("/nowhere/forgetlab.dll", error.Message);
    }

    [Fact]
    public void WithoutConfigurationTheRepositoryBuildOfTheCliIsFound()
    {
        var found = CliLocator.Find(null);

        Assert.Equal("forgetlab.dll", Path.GetFileName(found));
        Assert.True(File.Exists(found));
    }
}
