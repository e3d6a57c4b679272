using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Data;

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
        var lines = new LineChecker(name, only);
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        while (start <= bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            if (lines.Take(bytes.AsSpan(start, end - start)) is { } example) examples.Add(example);
            start = end + 1;
        }
        var shape = lines.Finish();
        return new JsonlDataFile(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), shape, examples);
    }

    /// <summary>
    /// Checks a file as <see cref="Read"/> does while it streams, keeping no example: one line at a time, each at most
    /// <paramref name="maxLineBytes"/> (the platform checks uploads this way, so a data set's size never becomes memory).
    /// Answers the file's shape and examples, or throws the first problem as a <see cref="DataFileException"/>.
    /// </summary>
    public static (DataShape Shape, int Examples) Check(Stream source, string name, int maxLineBytes, DataShape? only = null)
    {
        var lines = new LineChecker(name, only);
        Scan(source, name, maxLineBytes, lines);
        return (lines.Finish(), lines.Count);
    }

    /// <summary>
    /// Checks a suite's items file as it streams (a registered data set's JSONL that a suite header names): strict UTF-8 and one
    /// JSON object a line, whatever its fields (the suite's reader holds them to its kind when the suite is read). Answers the
    /// items, or throws the first problem as a <see cref="DataFileException"/>.
    /// </summary>
    public static int CheckItems(Stream source, string name, int maxLineBytes)
    {
        var lines = new LineChecker(name, only: null, items: true);
        Scan(source, name, maxLineBytes, lines);
        return lines.Count > 0 ? lines.Count : throw new DataFileException(name, 0, "", "no items: the suite is empty");
    }

    private static void Scan(Stream source, string name, int maxLineBytes, LineChecker lines)
    {
        var buffer = new byte[Math.Min(maxLineBytes + 1, 1 << 16)];
        int filled = 0, scanned = 0;
        var first = true;
        while (true)
        {
            var read = source.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var start = 0;
            if (first && filled >= 3 || read == 0 && first)
            {
                if (buffer.AsSpan(0, filled).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) start = scanned = 3;
                first = false;
            }
            if (first) continue;
            int end;
            while ((end = Array.IndexOf(buffer, (byte)'\n', scanned, filled - scanned)) >= 0)
            {
                lines.Take(buffer.AsSpan(start, end - start));
                start = scanned = end + 1;
            }
            if (read == 0)
            {
                lines.Take(buffer.AsSpan(start, filled - start));
                return;
            }
            // Keep the unfinished line at the front; grow the buffer only up to one line's limit.
            Array.Copy(buffer, start, buffer, 0, filled - start);
            filled -= start;
            scanned = filled;
            if (filled > maxLineBytes)
                throw new DataFileException(name, lines.Line + 1, "", $"the line is longer than {maxLineBytes} bytes, the most a line may hold on the platform");
            if (filled == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxLineBytes + 1));
        }
    }

    /// <summary>The rules every line is held to, one line after another, with the file's shape and count so far.</summary>
    private sealed class LineChecker(string name, DataShape? only, bool items = false)
    {
        private DataShape? _shape;
        private int _firstLine;

        /// <summary>Lines seen so far (blank ones included).</summary>
        public int Line { get; private set; }

        public int Count { get; private set; }

        /// <summary>The line's example, or null for a blank line.</summary>
        public DataExample? Take(ReadOnlySpan<byte> bytes)
        {
            Line++;
            var length = bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
            var text = Decode(bytes[..length], name, Line);
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (items)
            {
                CheckObject(text, name, Line);
                Count++;
                return null;
            }

            var example = ParseLine(text, name, Line, out var lineShape);
            if (only is { } required && lineShape != required)
                throw new DataFileException(name, Line, "",
                    $"a corpus holds {{\"text\"}} lines; this is a {DataShapes.Name(lineShape)} line");
            if (_shape is null) (_shape, _firstLine) = (lineShape, Line);
            else if (_shape != lineShape)
                throw new DataFileException(name, Line, "",
                    $"a {DataShapes.Name(lineShape)} line in a file whose first example (line {_firstLine}) is {DataShapes.Name(_shape.Value)}: one shape per file");
            if (Count == MaxExamples)
                throw new DataFileException(name, Line, "", $"more than {MaxExamples} examples");
            Count++;
            return example;
        }

        public DataShape Finish() => _shape ?? throw new DataFileException(name, 0, "", "no examples: the set is empty");
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string name, int line)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var column = e.Index >= 0 ? $" at byte {e.Index + 1} of the line" : "";
            throw new DataFileException(name, line, "", $"not valid UTF-8{column}");
        }
    }

    private static void CheckObject(string text, string name, int line)
    {
        using var doc = ParseObject(text, name, line);
    }

    /// <summary>The line as a JSON document whose root is an object, or the problem at its line.</summary>
    private static JsonDocument ParseObject(string text, string name, int line)
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
        if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
        var found = Describe(doc.RootElement);
        doc.Dispose();
        throw new DataFileException(name, line, "", $"expected a JSON object, found {found}");
    }

    private static DataExample ParseLine(string text, string name, int line, out DataShape shape)
    {
        using (var doc = ParseObject(text, name, line))
        {
            var root = doc.RootElement;
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
