using System.Globalization;
using ForgetLab.Core.ChatTemplates;
using ForgetLab.Core.Python;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// lm-eval's prompt construction (lm_eval/api/task.py 0.4.10): <c>doc_to_text</c>, <c>doc_to_target</c>,
/// <c>doc_to_choice</c> (a column name gives the column's value; any other string is a Jinja template, whose result
/// is read back as an integer when it is all digits and the task has choices, or as a Python literal for a target
/// in brackets and for choices), and <c>fewshot_context</c> with <c>build_qa_turn</c> rendered as plain text:
/// description, then per example its text + target_delimiter + its answer + fewshot_delimiter, then the
/// document's text.
/// </summary>
internal sealed class LmEvalPrompts(
    LmEvalTaskReader.Config config,
    IReadOnlyList<string> features,
    OrderedDictionary<string, object?> fewshotConfig,
    string targetDelimiter,
    string fewshotDelimiter)
{
    private readonly Dictionary<string, PromptTemplate> _templates = new(StringComparer.Ordinal);

    private object? Field(string key, bool fewshot) =>
        fewshot && fewshotConfig.TryGetValue(key, out var overridden) ? overridden : config.Value(key);

    public InvalidDataException DocError(string key, int doc, string message) =>
        config.Error(key, $"document {doc.ToString(CultureInfo.InvariantCulture)}: {message}");

    private string Render(string template, OrderedDictionary<string, object?> doc, string key, int index)
    {
        try
        {
            if (!_templates.TryGetValue(template, out var parsed)) _templates[template] = parsed = PromptTemplate.Parse(template);
            return parsed.Render(doc);
        }
        catch (ChatTemplateException e)
        {
            throw DocError(key, index, $"the template: {e.Reason}{(e.Line > 0 ? $" (template line {e.Line})" : "")}");
        }
    }

    public string DocToText(OrderedDictionary<string, object?> doc, int index, bool fewshot = false)
    {
        var spec = Field("doc_to_text", fewshot);
        var value = spec switch
        {
            string name when features.Contains(name) => doc[name],
            string template => ReadDigits(Render(template, doc, "doc_to_text", index), "doc_to_text", index),
            null => throw config.Error("doc_to_text", "is missing"),
            _ => spec,
        };
        return value switch
        {
            string text => text,
            long => throw DocError("doc_to_text", index, "gives a choice index: lm-eval's multiple-input form (as Winogrande), which ForgetLab does not read"),
            _ => throw DocError("doc_to_text", index, $"gives {LmEvalValues.TypeName(value)}, not text"),
        };
    }

    public object? DocToTarget(OrderedDictionary<string, object?> doc, int index, bool fewshot = false)
    {
        var spec = Field("doc_to_target", fewshot);
        switch (spec)
        {
            case long or List<object?>:
                return spec;
            case string name when features.Contains(name):
                return doc[name];
            case string template:
                var text = Render(template, doc, "doc_to_target", index);
                var digits = ReadDigits(text, "doc_to_target", index);
                if (digits is long) return digits;
                if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
                {
                    try
                    {
                        return PythonLiteral.Parse(text);
                    }
                    catch (FormatException)
                    {
                        return text; // lm-eval falls back to the text on SyntaxError/ValueError
                    }
                }
                return text;
            case null:
                throw config.Error("doc_to_target", "is missing");
            default:
                throw config.Error("doc_to_target", $"expected a field name, a template, an integer or a list, not {LmEvalValues.TypeName(spec)}");
        }
    }

    public List<string>? DocToChoice(OrderedDictionary<string, object?> doc, int index, bool fewshot = false)
    {
        var spec = Field("doc_to_choice", fewshot);
        object? value = spec switch
        {
            null => null,
            string name when features.Contains(name) => doc[name],
            string template => Literal(Render(template, doc, "doc_to_choice", index), index),
            List<object?> list => list,
            OrderedDictionary<string, object?> dict => dict.Values.ToList(),
            _ => throw config.Error("doc_to_choice", $"expected a field name, a template, a list or a mapping, not {LmEvalValues.TypeName(spec)}"),
        };
        if (value is null) return null;
        if (value is not List<object?> choices || choices.Count == 0)
            throw DocError("doc_to_choice", index, $"gives {LmEvalValues.TypeName(value)}, not a non-empty list of choices");
        if (choices.Any(c => c is not string { Length: > 0 }))
            throw DocError("doc_to_choice", index, "a choice is not a non-empty text (acc_norm divides by its length)");
        return choices.Cast<string>().ToList();
    }

    private object? Literal(string text, int index)
    {
        try
        {
            return PythonLiteral.Parse(text);
        }
        catch (FormatException e)
        {
            throw DocError("doc_to_choice", index, $"the rendered template is not a Python literal list (ast.literal_eval: {e.Message})");
        }
    }

    // `text_string.isdigit() and doc_to_choice is not None` → ast.literal_eval(text_string).
    private object ReadDigits(string text, string key, int index)
    {
        if (text.Length == 0 || Field("doc_to_choice", false) is null || !text.All(c => char.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber)) return text;
        if (!text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0' && text.Any(c => c != '0')) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw DocError(key, index, $"gives the digits '{text}', which lm-eval's ast.literal_eval cannot read as an integer");
        return n;
    }

    /// <summary><c>resolve_field</c>: a falsy field is nothing; a column name gives the column; else a template.</summary>
    private string ResolveDescription(OrderedDictionary<string, object?> doc, int index) => config.Value("description") switch
    {
        null or "" => "",
        string name when doc.ContainsKey(name) => doc[name] as string ?? throw DocError("description", index, "names a field that is not text"),
        string template => Render(template, doc, "description", index),
        var other => throw config.Error("description", $"expected text, not {LmEvalValues.TypeName(other)}"),
    };

    /// <summary><c>fewshot_context</c> without a chat template: the text lm-eval sends as the request's context.</summary>
    public string Context(OrderedDictionary<string, object?> doc, int index, IReadOnlyList<OrderedDictionary<string, object?>> shots)
    {
        var sb = new System.Text.StringBuilder(ResolveDescription(doc, index));
        var shotTarget = Field("target_delimiter", true) as string ?? targetDelimiter;
        var shotFewshot = Field("fewshot_delimiter", true) as string ?? fewshotDelimiter;
        foreach (var shot in shots)
        {
            var q = DocToText(shot, index, fewshot: true);
            var c = Field("doc_to_choice", true) is null ? null : DocToChoice(shot, index, fewshot: true);
            var a = DocToTarget(shot, index, fewshot: true);
            // build_qa_turn: has_answer = a is not None and a != ""; the user turn ends with the target delimiter then.
            var hasAnswer = a is not null and not "";
            sb.Append(q);
            if (!hasAnswer) continue;
            sb.Append(shotTarget);
            var answer = a switch
            {
                long n when c is { Count: > 0 } => n >= -c.Count && n < c.Count ? c[(int)(n < 0 ? n + c.Count : n)] : throw DocError("doc_to_target", index, $"a few-shot example's target {n} is outside its {c.Count} choices (lm-eval: IndexError)"),
                List<object?> list => list.Count > 0 ? list[0] : throw DocError("doc_to_target", index, "a few-shot example's target list is empty"),
                _ => a,
            };
            sb.Append(answer as string ?? throw DocError("doc_to_target", index, $"a few-shot example's answer is {LmEvalValues.TypeName(answer)}, not text (lm-eval asserts)"));
            sb.Append(shotFewshot);
        }
        sb.Append(DocToText(doc, index));
        return sb.ToString();
    }
}
