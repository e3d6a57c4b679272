namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// <c>tokenizer.json</c>'s <c>post_processor</c> for a single sequence: TemplateProcessing (its <c>single</c>
/// template, e.g. Llama-3's <c>&lt;|begin_of_text|&gt; $A</c>), ByteLevel (offsets only, no ids), RobertaProcessing and
/// BertProcessing (<c>cls $A sep</c>), and Sequence. Others are refused by name.
/// </summary>
internal abstract class PostProcessor
{
    public abstract List<int> Apply(List<int> ids);

    public static PostProcessor? Parse(JsonField field, TokenizerLimits limits)
    {
        if (field.IsNull) return null;
        field.Object();
        var type = field.Child("type").String();
        return type switch
        {
            "ByteLevel" => new Template([]),
            "TemplateProcessing" => ParseTemplate(field, limits),
            "RobertaProcessing" or "BertProcessing" => new Template([SpecialId(field.Child("cls")), -1, SpecialId(field.Child("sep"))]),
            "Sequence" => new Sequence(field.Child("processors").Items(limits.MaxComponents).Select(p => Parse(p, limits)!).ToArray()),
            _ => throw field.Child("type").Error($"post-processor {JsonField.Quote(type)} is not supported (supported: TemplateProcessing, ByteLevel, RobertaProcessing, BertProcessing, Sequence)"),
        };
    }

    // ["<s>", 0]: a token and its id.
    private static int SpecialId(JsonField field)
    {
        var parts = field.Items(2).ToArray();
        if (parts.Length != 2) throw field.Error("expected [token, id]");
        parts[0].String();
        return parts[1].Int();
    }

    private static Template ParseTemplate(JsonField field, TokenizerLimits limits)
    {
        var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var tokens = field.Child("special_tokens");
        if (!tokens.IsNull)
            foreach (var (name, value) in tokens.Properties(limits.MaxAddedTokens, nameInPath: false))
                specials[name] = value.Child("ids").Items(limits.MaxComponents).Select(i => i.Int()).ToArray();

        var single = field.Child("single");
        if (single.Kind == System.Text.Json.JsonValueKind.String)
            throw single.Error("a template written as a string is not supported; tokenizer.json stores templates as lists of pieces");
        var pieces = new List<int>();
        var sawSequence = false;
        foreach (var piece in single.Items(limits.MaxComponents))
        {
            piece.Object();
            if (piece.Has("Sequence"))
            {
                var id = piece.Child("Sequence").Child("id").String();
                if (id != "A") throw piece.Child("Sequence").Child("id").Error($"a single-sequence template can only hold sequence A, not {JsonField.Quote(id)}");
                pieces.Add(-1);
                sawSequence = true;
            }
            else if (piece.Has("SpecialToken"))
            {
                var name = piece.Child("SpecialToken").Child("id").String();
                if (!specials.TryGetValue(name, out var ids)) throw piece.Child("SpecialToken").Child("id").Error("names a token that is not in special_tokens");
                pieces.AddRange(ids);
            }
            else throw piece.Error("expected {\"Sequence\": …} or {\"SpecialToken\": …}");
        }
        if (!sawSequence) throw single.Error("the template has no $A");
        return new Template(pieces.ToArray());
    }

    // The template's ids with -1 standing for the sequence; an empty template leaves the ids as they are.
    private sealed class Template(int[] pieces) : PostProcessor
    {
        public override List<int> Apply(List<int> ids)
        {
            if (pieces.Length == 0) return ids;
            var result = new List<int>(ids.Count + pieces.Length);
            foreach (var p in pieces)
                if (p == -1) result.AddRange(ids);
                else result.Add(p);
            return result;
        }
    }

    private sealed class Sequence(PostProcessor[] steps) : PostProcessor
    {
        public override List<int> Apply(List<int> ids)
        {
            foreach (var step in steps) ids = step.Apply(ids);
            return ids;
        }
    }
}
