using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Lab.Data;

/// <summary>
/// A data file read whole and checked line by line: strict UTF-8, one JSON object per line, one shape per file
/// (<see cref="DataShape"/>, from its first line), every field present, a string and known, nothing else on the line.
/// Blank lines are skipped (their numbers still count). The first problem is a <see cref="DataFileException"/> naming
/// the file, line and field; a file without an example is refused too. <see cref="Sha256"/> is over the bytes read.
/// </summary>
public sealed record JsonlDataFile(string Name, string Sha256, DataShape Shape, IReadOnlyList<DataExample> Examples)
{
    /// <summary>Largest file read (bytes): a bound on memory, not on what a data set may be.</summary>
    public const long MaxBytes = 1L << 30;

    public const int MaxExamples = 1_000_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="fullPath">Where the file is.</param>
    /// <param name="name">The file as the spec wrote it (what errors and the report name).</param>
    /// <param name="only">The one shape the file may hold (a corpus: <see cref="DataShape.Text"/>); null: any one.</param>
    public static JsonlDataFile Read(string fullPath, string name, DataShape? only = null)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(fullPath);
            if (info.Exists && info.Length > MaxBytes)
                throw new DataFileException(name, 0, "", $"the file is {info.Length} bytes; at most {MaxBytes} are read");
            bytes = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(name, 0, "", $"cannot be read ({e.Message})");
        }
        return Parse(bytes, name, only);
    }

    /// <summary>The file's bytes checked as <see cref="Read"/> checks them.</summary>
    public static JsonlDataFile Parse(byte[] bytes, string name, DataShape? only = null)
    {
        var examples = new List<DataExample>();
        DataShape? shape = null;
        var firstLine = 0;
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var line = 0;
        while (start <= bytes.Length)
        {
            line++;
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            var length = end - start;
            if (length > 0 && bytes[end - 1] == (byte)'\r') length--;
            var text = Decode(bytes, start, length, name, line);
            start = end + 1;
            if (string.IsNullOrWhiteSpace(text)) continue;

            var example = ParseLine(text, name, line, out var lineShape);
            if (only is { } required && lineShape != required)
                throw new DataFileException(name, line, "",
                    $"a corpus holds {{\"text\"}} lines; this is a {DataShapes.Name(lineShape)} line");
            if (shape is null) (shape, firstLine) = (lineShape, line);
            else if (shape != lineShape)
                throw new DataFileException(name, line, "",
                    $"a {DataShapes.Name(lineShape)} line in a file whose first example (line {firstLine}) is {DataShapes.Name(shape.Value)}: one shape per file");
            if (examples.Count == MaxExamples)
                throw new DataFileException(name, line, "", $"more than {MaxExamples} examples");
            examples.Add(example);
        }

        if (shape is null) throw new DataFileException(name, 0, "", "no examples: the set is empty");
        return new JsonlDataFile(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), shape.Value, examples);
    }

    private static string Decode(byte[] bytes, int start, int length, string name, int line)
    {
        try
        {
            return StrictUtf8.GetString(bytes, start, length);
        }
        catch (DecoderFallbackException e)
        {
            var column = e.Index >= 0 ? $" at byte {e.Index + 1} of the line" : "";
            throw new DataFileException(name, line, "", $"not valid UTF-8{column}");
        }
    }

    private static DataExample ParseLine(string text, string name, int line, out DataShape shape)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new DataFileException(name, line, "", $"not valid JSON ({e.Message.Split(" LineNumber", 2)[0].TrimEnd('.')})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new DataFileException(name, line, "", $"expected a JSON object, found {Describe(root)}");
            var fields = Fields(root, name, line, "");
            shape = fields.ContainsKey("messages") ? DataShape.Messages
                : fields.ContainsKey("prompt") || fields.ContainsKey("completion") ? DataShape.PromptCompletion
                : fields.ContainsKey("text") ? DataShape.Text
                : throw new DataFileException(name, line, "",
                    "expected {\"prompt\", \"completion\"}, {\"messages\": [...]} or {\"text\"}" +
                    (fields.Count == 0 ? "; the object is empty" : $"; found {string.Join(", ", fields.Keys.Select(k => $"'{k}'"))}"));
            var allowed = DataShapes.Fields(shape);
            if (fields.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
                throw new DataFileException(name, line, unknown,
                    $"unknown field (a {DataShapes.Name(shape)} line holds {string.Join(" and ", allowed)})");
            if (allowed.FirstOrDefault(k => !fields.ContainsKey(k)) is { } missing)
                throw new DataFileException(name, line, missing, "required field is missing");

            return shape switch
            {
                DataShape.PromptCompletion => new PromptCompletionExample(line,
                    String(fields["prompt"], name, line, "prompt", allowEmpty: true), String(fields["completion"], name, line, "completion", allowEmpty: false)),
                DataShape.Text => new TextExample(line, String(fields["text"], name, line, "text", allowEmpty: false)),
                _ => new MessagesExample(line, Messages(fields["messages"], name, line)),
            };
        }
    }

    private static List<ChatMessage> Messages(JsonElement value, string name, int line)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new DataFileException(name, line, "messages", $"expected an array of {{\"role\", \"content\"}} objects, found {Describe(value)}");
        var messages = new List<ChatMessage>();
        var i = 0;
        foreach (var m in value.EnumerateArray())
        {
            var path = $"messages[{i}]";
            if (m.ValueKind != JsonValueKind.Object)
                throw new DataFileException(name, line, path, $"expected a {{\"role\", \"content\"}} object, found {Describe(m)}");
            var fields = Fields(m, name, line, path + ".");
            if (fields.Keys.FirstOrDefault(k => k is not ("role" or "content")) is { } unknown)
                throw new DataFileException(name, line, $"{path}.{unknown}", "unknown field (a message holds role and content)");
            foreach (var required in new[] { "role", "content" })
                if (!fields.ContainsKey(required))
                    throw new DataFileException(name, line, $"{path}.{required}", "required field is missing");
            messages.Add(new ChatMessage(
                String(fields["role"], name, line, $"{path}.role", allowEmpty: false),
                String(fields["content"], name, line, $"{path}.content", allowEmpty: true)));
            i++;
        }
        if (messages.Count == 0) throw new DataFileException(name, line, "messages", "the conversation is empty");
        return messages;
    }

    /// <summary>The object's properties; a key written twice is refused (JSON parsers disagree on which one wins).</summary>
    private static Dictionary<string, JsonElement> Fields(JsonElement obj, string name, int line, string prefix)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
            if (!fields.TryAdd(p.Name, p.Value))
                throw new DataFileException(name, line, prefix + p.Name, "the field is written twice");
        return fields;
    }

    private static string String(JsonElement value, string name, int line, string field, bool allowEmpty)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new DataFileException(name, line, field, $"expected a string, found {Describe(value)}");
        var s = value.GetString()!;
        return s.Length > 0 || allowEmpty ? s : throw new DataFileException(name, line, field, "must not be empty");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };
}
