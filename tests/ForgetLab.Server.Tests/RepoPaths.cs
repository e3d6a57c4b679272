namespace ForgetLab.Server.Tests;

/// <summary>Finds files of the repository the tests were built from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "ForgetLab.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No ForgetLab.sln above {AppContext.BaseDirectory}.");
    }
}
