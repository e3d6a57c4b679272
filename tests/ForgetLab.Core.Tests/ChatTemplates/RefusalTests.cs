using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Tests.ChatTemplates;

/// <summary>Constructs outside the subset, and broken templates, are refused at parse time naming the construct and its line.</summary>
public class RefusalTests
{
    [Theory]
    [InlineData("a\n{% macro m() %}x{% endmacro %}", 2, "unsupported tag '{% macro %}'")]
    [InlineData("a\nb\n{{ text | wordwrap(10) }}", 3, "unsupported filter 'wordwrap'")]
    [InlineData("{% if x is divisibleby(3) %}{% endif %}", 1, "unsupported test 'divisibleby'")]
    [InlineData("\n{{ cycler('a', 'b') }}", 2, "unsupported function 'cycler()'")]
    [InlineData("{{ 'a{}'.format(1) }}", 1, "unsupported method '.format()'")]
    [InlineData("{% for x in xs recursive %}{% endfor %}", 1, "unsupported construct 'recursive' loop")]
    [InlineData("{% set a, b = 1, 2 %}", 1, "unsupported construct: '{% set %}' of several names")]
    [InlineData("{% set x %}block{% endset %}", 1, "unsupported construct: block '{% set %}' … '{% endset %}'")]
    [InlineData("{% include 'other.jinja' %}", 1, "unsupported tag '{% include %}'")]
    [InlineData("{% for x in xs %}{% break %}{% endfor %}", 1, "unsupported tag '{% break %}'")]
    [InlineData("{% frobnicate %}", 1, "unknown tag '{% frobnicate %}'")]
    [InlineData("{{ 1 < 2 < 3 }}", 1, "unsupported construct: chained comparison")]
    public void AConstructOutsideTheSubsetIsRefusedNamingItAndItsLine(string template, int line, string reason)
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template));

        Assert.Equal(reason, e.Reason);
        Assert.Equal(line, e.Line);
        Assert.Equal($"chat template line {line}: {reason}", e.Message);
    }

    [Theory]
    [InlineData("x\n{% if a %}never closed", 2, "'{% if %}' is never closed with '{% endif %}'")]
    [InlineData("{% for m in messages %}\n\n", 1, "'{% for %}' is never closed with '{% endfor %}'")]
    [InlineData("ok\n{% endif %}", 2, "unexpected '{% endif %}' with no block open")]
    [InlineData("{{ 'unterminated }}", 1, "string literal is never closed")]
    [InlineData("a\n\n{{ x", 3, "tag opened here is never closed with '}}'")]
    [InlineData("{# no end", 1, "comment '{#' is never closed with '#}'")]
    [InlineData("{{ a + }}", 1, "unexpected '}}' in an expression")]
    [InlineData("{{ a $ b }}", 1, "unexpected character '$'")]
    [InlineData("{{ ) }}", 1, "unexpected ')' in an expression")]
    public void ABrokenTemplateIsRefusedWithTheLineOfTheProblem(string template, int line, string reason)
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template));

        Assert.Equal(reason, e.Reason);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void RaiseExceptionInTheTemplateBecomesAnErrorCarryingItsMessage()
    {
        var template = ChatTemplate.Parse("{% for m in messages %}\n{% if m.role not in ['user', 'assistant'] %}\n{{ raise_exception('Roles must be user or assistant') }}\n{% endif %}{% endfor %}");

        var e = Assert.Throws<ChatTemplateException>(() => template.Render(new ChatConversation([new("tool", "x")])));

        Assert.Equal("chat template line 3: the template raised an exception: Roles must be user or assistant", e.Message);
    }

    [Fact]
    public void TheRealLlamaTemplateRefusesToolsWithoutAFirstUserMessageAsItSays()
    {
        var template = ChatTemplate.Parse(ReferencePaths.Template("Llama-3.1-8B-Instruct"));

        var e = Assert.Throws<ChatTemplateException>(() => template.Render(new Dictionary<string, object?>
        {
            ["messages"] = new List<object?>(),
            ["tools"] = new List<object?> { new OrderedDictionary<string, object?> { ["name"] = "f" } },
            ["bos_token"] = "<s>",
        }));

        Assert.Contains("Cannot put tools in the first user message when there's no first user message!", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ messages + 1 }}", "cannot apply '+' to a list and an integer")]
    [InlineData("{{ 1 // 0 }}", "division by zero")]
    [InlineData("{% for x in 3 %}{% endfor %}", "an integer is not iterable")]
    [InlineData("{% set n = 1 %}{% set n.a = 2 %}", "'{% set n.a %}' needs 'n' to be a namespace()")]
    [InlineData("{{ 'a' < 1 }}", "cannot compare a string < an integer")]
    [InlineData("{{ 9223372036854775807 + 1 }}", "integer overflow in '+'")]
    [InlineData("{{ 3037000500 * 3037000500 }}", "integer overflow in '*'")]
    public void AnOperationOnTheWrongKindOfValueIsAnErrorNamingIt(string template, string reason)
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template).Render(new ChatConversation([])));

        Assert.Equal(reason, e.Reason);
        Assert.Equal(1, e.Line);
    }
}
