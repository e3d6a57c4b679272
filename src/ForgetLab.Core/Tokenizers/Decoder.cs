using System.Globalization;
using System.Text;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// <c>tokenizer.json</c>'s <c>decoder</c>, as tokenizers' <c>decode_chain</c> runs it (tokens in, tokens out, joined
/// at the end): ByteLevel (characters back to bytes, invalid UTF-8 as U+FFFD), Replace, ByteFallback
/// (<c>&lt;0xXX&gt;</c> runs to text), Fuse, Strip, Metaspace and Sequence. Others are refused by name.
/// </summary>
internal abstract class Decoder
{
    public abstract List<string> Apply(List<string> tokens);

    public static Decoder? Parse(JsonField field, TokenizerLimits limits)
    {
        if (field.IsNull) return null;
        field.Object();
        var type = field.Child("type").String();
        return type switch
        {
            "ByteLevel" => new ByteLevel(),
            "Replace" => new Replace(ReplacePattern(field.Child("pattern")), field.Child("content").String()),
            "ByteFallback" => new ByteFallback(),
            "Fuse" => new Fuse(),
            "Strip" => ParseStrip(field),
            "Metaspace" => ParseMetaspace(field),
            "Sequence" => new Sequence(field.Child("decoders").Items(limits.MaxComponents).Select(d => Parse(d, limits)!).ToArray()),
            _ => throw field.Child("type").Error($"decoder {JsonField.Quote(type)} is not supported (supported: ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence)"),
        };
    }

    private static string ReplacePattern(JsonField pattern)
    {
        pattern.Object();
        if (pattern.Has("String")) return pattern.Child("String").String();
        throw pattern.Error("a decoder's Replace takes a {\"String\": …} pattern");
    }

    private static Strip ParseStrip(JsonField field)
    {
        var content = field.Child("content").String();
        if (content.Length != 1) throw field.Child("content").Error("expected one character");
        return new Strip(content[0], field.Child("start").Int(0, 1 << 16), field.Child("stop").Int(0, 1 << 16));
    }

    private static Metaspace ParseMetaspace(JsonField field)
    {
        var replacement = field.Child("replacement").OptionalString() ?? "\u2581";
        if (replacement.Length != 1) throw field.Child("replacement").Error("expected one character");
        var scheme = field.Child("prepend_scheme").OptionalString() ?? (field.Child("add_prefix_space").Bool(true) ? "always" : "never");
        return new Metaspace(replacement[0], scheme != "never");
    }

    private sealed class ByteLevel : Decoder
    {
        public override List<string> Apply(List<string> tokens)
        {
            var bytes = new List<byte>();
            foreach (var token in tokens)
            {
                var mapped = new List<byte>(token.Length);
                var all = true;
                foreach (var c in token)
                {
                    if (ByteLevelAlphabet.CharToByte.TryGetValue(c, out var b)) mapped.Add(b);
                    else { all = false; break; }
                }
                bytes.AddRange(all ? mapped : Encoding.UTF8.GetBytes(token));
            }
            return [Encoding.UTF8.GetString(bytes.ToArray())];
        }
    }

    private sealed class Replace(string pattern, string content) : Decoder
    {
        public override List<string> Apply(List<string> tokens) =>
            pattern.Length == 0 ? tokens : tokens.Select(t => t.Replace(pattern, content, StringComparison.Ordinal)).ToList();
    }

    private sealed class ByteFallback : Decoder
    {
        public override List<string> Apply(List<string> tokens)
        {
            var result = new List<string>(tokens.Count);
            var pending = new List<byte>();
            foreach (var token in tokens)
            {
                if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
                    && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    pending.Add(b);
                    continue;
                }
                Flush(pending, result);
                result.Add(token);
            }
            Flush(pending, result);
            return result;
        }

        // A run of bytes that is valid UTF-8 becomes its text; otherwise every byte becomes U+FFFD.
        private static void Flush(List<byte> pending, List<string> result)
        {
            if (pending.Count == 0) return;
            try
            {
                result.Add(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(pending.ToArray()));
            }
            catch (DecoderFallbackException)
            {
                for (var i = 0; i < pending.Count; i++) result.Add("\uFFFD");
            }
            pending.Clear();
        }
    }

    private sealed class Fuse : Decoder
    {
        public override List<string> Apply(List<string> tokens) => [string.Concat(tokens)];
    }

    private sealed class Strip(char content, int start, int stop) : Decoder
    {
        public override List<string> Apply(List<string> tokens) => tokens.Select(t =>
        {
            var from = 0;
            while (from < t.Length && from < start && t[from] == content) from++;
            var to = t.Length;
            while (to > from && t.Length - to < stop && t[to - 1] == content) to--;
            return t[from..to];
        }).ToList();
    }

    // tokenizers' Metaspace decoder: the replacement becomes a space, except in the first token (unless the scheme is
    // "never"), where tokenizers drops every replacement character.
    private sealed class Metaspace(char replacement, bool prepend) : Decoder
    {
        public override List<string> Apply(List<string> tokens)
        {
            var result = new List<string>(tokens.Count);
            for (var i = 0; i < tokens.Count; i++)
            {
                result.Add(i == 0 && prepend ? tokens[i].Replace(replacement.ToString(), "", StringComparison.Ordinal) : tokens[i].Replace(replacement, ' '));
            }
            return result;
        }
    }

    private sealed class Sequence(Decoder[] steps) : Decoder
    {
        public override List<string> Apply(List<string> tokens)
        {
            foreach (var step in steps) tokens = step.Apply(tokens);
            return tokens;
        }
    }
}
