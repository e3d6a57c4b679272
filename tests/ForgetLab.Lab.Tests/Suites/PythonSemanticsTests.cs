using System.Globalization;
using System.Text.Json;
using ForgetLab.Core.ChatTemplates;
using ForgetLab.Core.Python;

namespace ForgetLab.Lab.Tests.Suites;

/// <summary>
/// The Python behaviour lm-eval's prompts and few-shot picks rest on, checked against CPython itself
/// (/usr/bin/python3, with python3-jinja2): random.Random's Mersenne Twister, getrandbits and sample; repr() and
/// ast.literal_eval; and Jinja2 rendering in lm-eval's environment.
/// </summary>
public sealed class PythonSemanticsTests
{
    [Fact]
    public void MersenneTwisterSeedingAndGetrandbitsEqualCPythons()
    {
        long[] seeds = [0, 1, 1234, 4294967303, -5];
        var expected = LmEvalReference.Eval($$"""
            import random
            for seed in {{"[" + string.Join(", ", seeds) + "]"}}:
                r = random.Random(seed)
                print(" ".join(str(r.getrandbits(32)) for _ in range(700)))
                print(" ".join(str(r.getrandbits(k)) for k in range(0, 65)))
            """).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var actual = new List<string>();
        foreach (var seed in seeds)
        {
            var r = new PythonRandom(seed);
            actual.Add(string.Join(' ', Enumerable.Range(0, 700).Select(_ => r.GetRandBits(32).ToString(CultureInfo.InvariantCulture))));
            actual.Add(string.Join(' ', Enumerable.Range(0, 65).Select(k => r.GetRandBits(k).ToString(CultureInfo.InvariantCulture))));
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SampleEqualsCPythonsOnBothItsPoolAndSetPaths()
    {
        (int N, int K)[] cases = [(10, 3), (8, 4), (5, 5), (30, 6), (21, 2), (22, 2), (100, 7), (1000, 50), (3, 0)];
        var expected = LmEvalReference.Eval($$"""
            import random
            r = random.Random(1234)
            for n, k in {{"[" + string.Join(", ", cases.Select(c => $"({c.N}, {c.K})")) + "]"}}:
                print(" ".join(str(x) for x in r.sample(range(n), k)))
                print(" ".join(str(x) for x in random.Random(n).sample(list(range(n)), k)))
            """).Split('\n').SkipLast(1).ToList();
        var shared = new PythonRandom(1234);
        var actual = new List<string>();
        foreach (var (n, k) in cases)
        {
            actual.Add(string.Join(' ', shared.Sample(Enumerable.Range(0, n).ToList(), k)));
            actual.Add(string.Join(' ', new PythonRandom(n).Sample(Enumerable.Range(0, n).ToList(), k)));
        }
        Assert.Equal(expected, actual);
    }

    public static readonly object?[] Values =
    [
        "plain", "it's", "say \"hi\"", "both ' and \"", "tab\tnew\nline\\", "caf\u00e9 \u4e2d\u6587 \U0001F600", "\u0000\u007f\u0085\u00a0\u2028",
        0L, -12L, 1.0, 0.1, -2.5, 1e16, 1.5e-5, 123456789.125, 1e-4, true, false, null,
        new List<object?> { "a", 1L, 2.0, null, new List<object?> { "nested" } },
        new OrderedDictionary<string, object?> { ["text"] = new List<object?> { "x", "y" }, ["n"] = 3L },
    ];

    [Fact]
    public void ReprEqualsCPythonsAndLiteralEvalReadsItBack()
    {
        var json = JsonSerializer.Serialize(Values.Select(v => PythonValues.Repr(v)).ToList());
        var expected = LmEvalReference.Eval($$"""
            import json, ast
            values = ["plain", "it's", 'say "hi"', "both ' and \"", "tab\tnew\nline\\", "caf\u00e9 \u4e2d\u6587 \U0001F600", "\u0000\u007f\u0085\u00a0\u2028",
                0, -12, 1.0, 0.1, -2.5, 1e16, 1.5e-5, 123456789.125, 1e-4, True, False, None,
                ["a", 1, 2.0, None, ["nested"]], {"text": ["x", "y"], "n": 3}]
            mine = json.loads({{JsonSerializer.Serialize(json)}})
            print(json.dumps([repr(v) for v in values]))
            print(all(ast.literal_eval(m) == v for m, v in zip(mine, values)))
            """).Split('\n');
        Assert.Equal(JsonSerializer.Deserialize<List<string>>(expected[0]), Values.Select(PythonValues.Repr).ToList());
        Assert.Equal("True", expected[1]);
        foreach (var v in Values) Assert.Equal(PythonValues.Repr(v), PythonValues.Repr(PythonLiteral.Parse(PythonValues.Repr(v))));
    }

    private static readonly string[] TemplateSources =
    [
        "Question: {{question}}\nAnswer:",
        "{{choices.text}}",
        "{{choices.label.index(answerKey)}}",
        "{{ question.strip() }} | {{ n }} | {{ f }} | {{ flag }} | {{ nothing }} | {{ n / 2 }}",
        "{% if flag %}yes{% else %}no{% endif %}\n  {% for c in choices.text %}{{ loop.index }}. {{ c }}\n{% endfor %}end\n",
        "{{ answer.split('#### ')[-1] }}",
        "{{ question | regex_replace('\\s+', ' ') }}",
        "{{ missing }}",
        "{{ choices.missing }}",
        "{{ missing | default('d') }} {{ missing is defined }}",
        "{{ [question, n] }}|{{ {'k': f} }}",
    ];

    private const string Doc = """{"question": "  Why is the sky blue?  ", "answer": "It scatters light.\n#### 42", "n": 7, "f": 2.0, "flag": true, "nothing": null, "answerKey": "B", "choices": {"text": ["red", "blue's", "green"], "label": ["A", "B", "C"]}}""";

    // Every template rendered by Jinja2 in one Python process (null: an UndefinedError).
    private static readonly Lazy<List<string?>> Jinja2 = new(() => JsonSerializer.Deserialize<List<string?>>(LmEvalReference.Eval($$"""
        import json, re, jinja2
        env = jinja2.Environment(loader=jinja2.BaseLoader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        env.filters["regex_replace"] = lambda s, p, r, count=0: re.sub(p, r, s, count=count)
        out = []
        for source in json.loads({{JsonSerializer.Serialize(JsonSerializer.Serialize(TemplateSources))}}):
            try:
                out.append(env.from_string(source).render(**json.loads({{JsonSerializer.Serialize(Doc)}})))
            except jinja2.exceptions.UndefinedError:
                out.append(None)
        print(json.dumps(out))
        """))!);

    public static TheoryData<int> Templates() => new(Enumerable.Range(0, TemplateSources.Length));

    [Theory]
    [MemberData(nameof(Templates))]
    public void PromptTemplatesRenderAsLmEvalsJinja2Environment(int template)
    {
        var expected = Jinja2.Value[template];
        var values = (OrderedDictionary<string, object?>)ToValues(JsonDocument.Parse(Doc).RootElement)!;
        string? actual;
        try
        {
            actual = PromptTemplate.Parse(TemplateSources[template]).Render(values);
        }
        catch (ChatTemplateException e) when (e.Reason.Contains("undefined", StringComparison.Ordinal))
        {
            actual = null;
        }
        Assert.Equal(expected, actual);
    }

    private static object? ToValues(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new OrderedDictionary<string, object?>(StringComparer.Ordinal), (d, p) => { d[p.Name] = ToValues(p.Value); return d; }),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValues).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText().Contains('.') ? e.GetDouble() : (object)e.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
