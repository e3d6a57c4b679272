namespace ForgetLab.Core.Tests.Specs;

/// <summary>Finds files of the repository from the test binaries' folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Example(string fileName) => Path.Combine(Root, "examples", fileName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ForgetLab.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No ForgetLab.sln above {AppContext.BaseDirectory}");
    }
}
