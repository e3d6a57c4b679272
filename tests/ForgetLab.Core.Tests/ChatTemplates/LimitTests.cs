using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Tests.ChatTemplates;

/// <summary>A hostile template can neither exhaust the stack nor loop, nor grow its output, without bound.</summary>
public class LimitTests
{
    private static readonly ChatConversation Empty = new([]);

    [Fact]
    public void DeeplyNestedParenthesesAreRefusedBeforeTheStackRunsOut()
    {
        var template = "{{ " + new string('(', 100_000) + "1" + new string(')', 100_000) + " }}";

        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template, ChatTemplateLimits.Default with { MaxTemplateChars = 1_000_000 }));

        Assert.Equal("expression nested deeper than 100", e.Reason);
    }

    [Fact]
    public void ALongOperatorChainIsRefusedBeforeEvaluationCouldRecurseThroughIt()
    {
        var template = "{{ " + string.Join(" + ", Enumerable.Repeat("'a'", 50_000)) + " }}";

        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template, ChatTemplateLimits.Default with { MaxTemplateChars = 1_000_000 }));

        Assert.Equal("expression nested deeper than 100", e.Reason);
    }

    [Fact]
    public void DeeplyNestedBlocksAreRefused()
    {
        var template = string.Concat(Enumerable.Repeat("{% if true %}", 10_000)) + string.Concat(Enumerable.Repeat("{% endif %}", 10_000));

        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template, ChatTemplateLimits.Default with { MaxTemplateChars = 1_000_000 }));

        Assert.Equal("blocks nested deeper than 100", e.Reason);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void NestedLoopsStopAtTheIterationCap()
    {
        var template = ChatTemplate.Parse("{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}");

        var e = Assert.Throws<ChatTemplateException>(() => template.Render(Empty));

        Assert.Equal("more than 100000 loop iterations", e.Reason);
    }

    [Fact]
    public void OutputStopsAtTheOutputCap()
    {
        var template = ChatTemplate.Parse("{% for a in range(100) %}{{ 'x' * 100 }}{% endfor %}", new ChatTemplateLimits(MaxOutputChars: 5000));

        var e = Assert.Throws<ChatTemplateException>(() => template.Render(Empty));

        Assert.Equal("output longer than 5000 characters", e.Reason);
    }

    [Fact]
    public void AStringDoubledInALoopStopsAtTheCapInsteadOfExhaustingMemory()
    {
        var template = ChatTemplate.Parse("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}");

        var e = Assert.Throws<ChatTemplateException>(() => template.Render(Empty));

        Assert.Equal($"string longer than {ChatTemplateLimits.Default.MaxOutputChars} characters", e.Reason);
    }

    [Fact]
    public void AHugeRepetitionIsRefusedBeforeItIsBuilt()
    {
        var template = ChatTemplate.Parse("{{ 'x' * 1000000000000 }}");

        var e = Assert.Throws<ChatTemplateException>(() => template.Render(Empty));

        Assert.Equal($"string longer than {ChatTemplateLimits.Default.MaxOutputChars} characters", e.Reason);
    }

    [Theory]
    [InlineData("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns | tojson }}")]
    [InlineData("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}")]
    [InlineData("{% set ns = namespace() %}{% set ns.a = ns %}{% set ns.b = ns %}{{ ns | tojson }}")]
    public void ANamespaceHoldingItselfIsRefusedWhenPrinted(string source)
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(source).Render(Empty));

        Assert.Matches("^(value nested deeper than 100|string longer than)", e.Reason);
    }

    [Fact]
    public void RepeatingAnEmptyStringAHugeNumberOfTimesIsEmpty()
    {
        Assert.Equal("|", ChatTemplate.Parse("{{ '' * 1000000000000 }}|").Render(Empty));
    }

    [Fact]
    public void AnOverlongTemplateIsRefusedUnread()
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(new string('x', 300_000)));

        Assert.Equal("template longer than 262144 characters", e.Reason);
        Assert.Equal(0, e.Line);
    }

    [Fact]
    public void EveryPrefixOfTheRealTemplatesEitherRendersOrIsRefusedWithATemplateError()
    {
        // Truncated templates hit every "never closed" and "unexpected" path of the lexer and parser.
        var conversation = new ChatConversation([new("system", "s"), new("user", "u"), new("assistant", "a")], true, "<s>", "</s>");
        foreach (var name in new[] { "Llama-3.1-8B-Instruct", "Qwen2.5-Instruct" })
        {
            var source = ReferencePaths.Template(name);
            for (var cut = 0; cut <= source.Length; cut += 7)
            {
                try
                {
                    ChatTemplate.Parse(source[..cut]).Render(conversation);
                }
                catch (ChatTemplateException)
                {
                }
            }
        }
    }

    [Fact]
    public void RandomTokenSoupIsRefusedWithTemplateErrorsAndNeverCrashes()
    {
        string[] pieces =
        [
            "{{", "}}", "{%", "%}", "{%-", "-%}", "{#", "#}", "if", "for", "in", "set", "endif", "endfor", "else", "elif",
            "x", "messages", "loop", ".", "[", "]", "(", ")", "{", "}", ",", ":", "|", "trim", "length", "is", "not",
            "defined", "'s'", "\"t", "1", "2.5", "-", "+", "~", "*", "//", "==", "=", "namespace", "ns", "\n", " ",
        ];
        var random = new Random(12);
        for (var i = 0; i < 3000; i++)
        {
            var template = string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => pieces[random.Next(pieces.Length)] + " "));
            try
            {
                ChatTemplate.Parse(template, new ChatTemplateLimits(MaxIterations: 1000, MaxOutputChars: 10_000))
                    .Render(new ChatConversation([new("user", "u")]));
            }
            catch (ChatTemplateException)
            {
            }
        }
    }
}
