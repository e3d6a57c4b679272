using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Tests.ChatTemplates;

/// <summary>
/// Constructs the reference renderer lacks (tests/reference/jinja/README.md) but Python's Jinja, and so
/// transformers, has; expected outputs are Python Jinja's documented behaviour (printing only strings, since Python
/// prints booleans as True/False where the reference, and this renderer, print true/false).
/// </summary>
public class PythonJinjaTests
{
    [Fact]
    public void LlamaListsItsBuiltinToolsWithoutTheCodeInterpreterThroughReject()
    {
        var template = ChatTemplate.Parse(ReferencePaths.Template("Llama-3.1-8B-Instruct"));

        var rendered = template.Render(new Dictionary<string, object?>
        {
            ["messages"] = new List<object?> { new OrderedDictionary<string, object?> { ["role"] = "user", ["content"] = "Weather?" } },
            ["builtin_tools"] = new List<object?> { "brave_search", "code_interpreter", "wolfram_alpha" },
            ["bos_token"] = "<|begin_of_text|>",
        });

        Assert.StartsWith(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\nTools: brave_search, wolfram_alpha\n\nCutting Knowledge Date: December 2023\n",
            rendered,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ [1, 2, 3, 4] | select('odd') | join(',') }}", "1,3")]
    [InlineData("{{ [1, 2, 3, 4] | reject('even') | join(',') }}", "1,3")]
    [InlineData("{{ ['a', 'b'] | reject('equalto', 'a') | join }}", "b")]
    [InlineData("{{ 'y' if 2 is equalto 2 else 'n' }}", "y")]
    [InlineData("{{ 'y' if 1.5 is float else 'n' }}{{ 'y' if 1 is float else 'n' }}", "yn")]
    [InlineData("{{ messages | selectattr('role', 'equalto', 'user') | length }}", "2")]
    public void FiltersAndTestsOutsideTheReferenceBehaveAsInPythonJinja(string source, string expected)
    {
        var messages = new List<object?>
        {
            new OrderedDictionary<string, object?> { ["role"] = "user" },
            new OrderedDictionary<string, object?> { ["role"] = "assistant" },
            new OrderedDictionary<string, object?> { ["role"] = "user" },
        };

        Assert.Equal(expected, ChatTemplate.Parse(source).Render(new Dictionary<string, object?> { ["messages"] = messages }));
    }

    [Fact]
    public void StrftimeNowFormatsTheInjectedClockAsLlama32Asks()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 5, 14, 7, 9, TimeSpan.Zero));

        var rendered = ChatTemplate.Parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S') }}", time: clock).Render(new ChatConversation([]));

        Assert.Equal("05 Mar 2026|2026-03-05 14:07:09", rendered);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
