using System.Text.Json;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// A JSON value with the file it came from and its path in that file, so that every refusal names both
/// (<c>tokenizer.json: pre_tokenizer.pretokenizers[0].behavior: …</c>).
/// </summary>
internal readonly struct JsonField
{
    // The path is built only when an error needs it: a list of 280 000 merges must not cost 280 000 strings.
    private readonly string _parent;
    private readonly string? _name;
    private readonly int _index;

    public JsonField(string file, string path, JsonElement value) : this(file, path, null, -1, value)
    {
    }

    private JsonField(string file, string parent, string? name, int index, JsonElement value)
    {
        File = file;
        _parent = parent;
        _name = name;
        _index = index;
        Value = value;
    }

    public string File { get; }

    public JsonElement Value { get; }

    public string Path => _name is not null ? (_parent.Length == 0 ? _name : $"{_parent}.{_name}") : _index >= 0 ? $"{_parent}[{_index}]" : _parent;

    public static JsonDocument Parse(string path, string fileName, TokenizerLimits limits)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new TokenizerFormatException(fileName, "", "the file does not exist");
        if (info.Length > limits.MaxFileBytes)
            throw new TokenizerFormatException(fileName, "", $"the file is {info.Length} bytes, over the limit of {limits.MaxFileBytes}");
        return Parse(System.IO.File.ReadAllBytes(path), fileName, limits);
    }

    public static JsonDocument Parse(byte[] bytes, string fileName, TokenizerLimits limits)
    {
        if (bytes.LongLength > limits.MaxFileBytes)
            throw new TokenizerFormatException(fileName, "", $"the file is {bytes.LongLength} bytes, over the limit of {limits.MaxFileBytes}");
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            // The parser's own message quotes the offending text; the position is enough.
            throw new TokenizerFormatException(fileName, "", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the line), or nested deeper than {limits.MaxJsonDepth} levels");
        }
    }

    public JsonValueKind Kind => Value.ValueKind;

    public bool IsNull => Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public TokenizerFormatException Error(string reason) => new(File, Path, reason);

    public JsonField Child(string name) =>
        new(File, Path, name, -1, Value.ValueKind == JsonValueKind.Object && Value.TryGetProperty(name, out var v) ? v : default);

    public bool Has(string name) => Value.ValueKind == JsonValueKind.Object && Value.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonField Object()
    {
        if (Value.ValueKind != JsonValueKind.Object) throw Error($"expected an object, found {Describe()}");
        return this;
    }

    public IEnumerable<JsonField> Items(int max)
    {
        if (Value.ValueKind != JsonValueKind.Array) throw Error($"expected a list, found {Describe()}");
        var n = Value.GetArrayLength();
        if (n > max) throw Error($"{n} entries, over the limit of {max}");
        var i = 0;
        var path = Path;
        foreach (var item in Value.EnumerateArray()) yield return new JsonField(File, path, null, i++, item);
    }

    /// <summary>
    /// The object's entries. With <paramref name="nameInPath"/> false (a vocabulary, whose keys are file content)
    /// an entry's path is its position, <c>model.vocab[12]</c>, not its key.
    /// </summary>
    public IEnumerable<(string Name, JsonField Value)> Properties(int max, bool nameInPath = true)
    {
        Object();
        var n = 0;
        var path = Path;
        foreach (var p in Value.EnumerateObject())
        {
            if (++n > max) throw Error($"more than {max} entries");
            yield return (p.Name, nameInPath ? new JsonField(File, path, p.Name, -1, p.Value) : new JsonField(File, path, null, n - 1, p.Value));
        }
    }

    public string String()
    {
        if (Value.ValueKind != JsonValueKind.String) throw Error($"expected a string, found {Describe()}");
        return Value.GetString()!;
    }

    public string? OptionalString() => IsNull ? null : String();

    public bool Bool(bool fallback)
    {
        if (IsNull) return fallback;
        return Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"expected true or false, found {Describe()}"),
        };
    }

    public bool? OptionalBool() => IsNull ? null : Bool(false);

    public int Int(int min = 0, int max = int.MaxValue)
    {
        if (Value.ValueKind != JsonValueKind.Number || !Value.TryGetInt64(out var n)) throw Error($"expected an integer, found {Describe()}");
        if (n < min || n > max) throw Error($"{n} is outside [{min}, {max}]");
        return (int)n;
    }

    public int? OptionalInt(int min = 0, int max = int.MaxValue) => IsNull ? null : Int(min, max);

    public double? OptionalNumber()
    {
        if (IsNull) return null;
        if (Value.ValueKind != JsonValueKind.Number) throw Error($"expected a number, found {Describe()}");
        return Value.GetDouble();
    }

    /// <summary>
    /// A value for an error message: quoted when it is a short name (a component type such as <c>Unigram</c>),
    /// otherwise left out, so that an error never repeats arbitrary file content (docs/security.md).
    /// </summary>
    public static string Quote(string value) =>
        value.Length is > 0 and <= 40 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? $"\"{value}\"" : "the value";

    public string Describe() => Value.ValueKind switch
    {
        JsonValueKind.Undefined => "nothing (the field is missing)",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        _ => "an object",
    };
}
