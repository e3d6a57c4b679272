using System.Text;
using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Tests.ChatTemplates;

/// <summary>
/// The real Llama-3.1 and Qwen2.5 templates render every fixture conversation byte for byte as the reference
/// renderer (@huggingface/jinja, see tests/reference/jinja/README.md) rendered it.
/// </summary>
public class ReferenceRenderingTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in new[] { "Llama-3.1-8B-Instruct", "Qwen2.5-Instruct" })
            foreach (var conversation in Directory.GetFiles(ReferencePaths.Fixtures, "*.json").Order(StringComparer.Ordinal))
                data.Add(template, Path.GetFileNameWithoutExtension(conversation));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheRealTemplateRendersTheConversationByteForByteAsTheReferenceRenderer(string template, string conversation)
    {
        var chat = ChatConversation.Parse(File.ReadAllText(Path.Combine(ReferencePaths.Fixtures, conversation + ".json")), conversation);
        var expected = File.ReadAllBytes(Path.Combine(ReferencePaths.Fixtures, $"{template}.{conversation}.txt"));

        var rendered = ChatTemplate.Parse(ReferencePaths.Template(template)).Render(chat);

        Assert.Equal(Encoding.UTF8.GetString(expected), rendered);
        Assert.Equal(expected, Encoding.UTF8.GetBytes(rendered));
    }

    [Fact]
    public void EveryFixtureConversationHasAReferenceOutputForBothTemplates()
    {
        var conversations = Directory.GetFiles(ReferencePaths.Fixtures, "*.json");
        var outputs = Directory.GetFiles(ReferencePaths.Fixtures, "*.txt");

        Assert.True(conversations.Length >= 6);
        Assert.Equal(2 * conversations.Length, outputs.Length);
    }

    [Fact]
    public void TheSharedTemplatesAreTheOnesTheReferenceOutputsWereRenderedFrom()
    {
        // shared/chat-templates/README.md lists these hashes; a changed file would make the fixtures stale.
        Assert.Equal("e10ca381b1ccc5cf9db52e371f3b6651576caee0a630b452e2816b2d404d4b65", Sha256("Llama-3.1-8B-Instruct"));
        Assert.Equal("cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f", Sha256("Qwen2.5-Instruct"));
    }

    private static string Sha256(string template) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(ReferencePaths.Templates, template + ".jinja"))));
}
