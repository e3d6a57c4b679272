using ForgetLab.Core.Tests.Specs;

namespace ForgetLab.Core.Tests.ChatTemplates;

/// <summary>The real templates (in shared/, beside the clone) and the fixtures rendered by the reference renderer.</summary>
internal static class ReferencePaths
{
    public static string Templates { get; } = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "chat-templates"));

    public static string Fixtures { get; } = Path.Combine(RepoPaths.Root, "tests", "ForgetLab.Core.Tests", "ChatTemplates", "Fixtures");

    public static string Template(string name) => File.ReadAllText(Path.Combine(Templates, name + ".jinja"));
}
