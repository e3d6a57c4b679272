using System.Text;
using System.Text.Json;
using ForgetLab.Core.Data;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// Loads a split the way <c>datasets.load_dataset("json" | "csv", data_files=…)</c> gives it to lm-eval: a list of
/// documents with the same columns (a key missing from a JSON line is null, as Arrow fills it), each column of one
/// type (integers in a column that also holds floats become floats). JSON files are JSON Lines or one array of
/// objects; CSV files are read by <see cref="PandasCsv"/> as datasets' csv builder reads them with pandas (a header row,
/// quoting, each column typed int, float, bool or text). What datasets would fill or guess (an empty CSV cell,
/// pandas' missing-value words such as <c>NA</c>) or refuse (a JSON column of text and numbers) is an error naming the
/// file, the line and the field.
/// </summary>
internal static class LmEvalDataFiles
{
    /// <summary>The longest CSV row read (characters): the platform's bound on a line of a data set's file, 8 MiB.</summary>
    private const int MaxCsvRowChars = 8 << 20;

    public static LmEvalSplit Load(string format, IReadOnlyList<string> files)
    {
        var rows = new List<(OrderedDictionary<string, object?> Doc, string File, int Line)>();
        foreach (var file in files)
            if (!File.Exists(file)) throw new InvalidDataException($"The data file {file} does not exist (dataset_kwargs.data_files).");
        if (format == "json")
            foreach (var file in files) rows.AddRange(Json(file));
        else rows.AddRange(Csv(files));
        if (rows.Count == 0) throw new InvalidDataException($"{string.Join(", ", files)}: no documents.");

        var columns = new List<string>();
        foreach (var (doc, _, _) in rows)
            foreach (var key in doc.Keys)
                if (!columns.Contains(key)) columns.Add(key);

        var docs = rows.Select(r =>
        {
            var full = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var c in columns) full[c] = r.Doc.TryGetValue(c, out var v) ? v : null;
            return full;
        }).ToList();
        foreach (var column in columns)
        {
            var values = docs.Select(d => d[column]).ToList();
            var unified = Unify(values, i => $"{rows[i].File}:{rows[i].Line}", column);
            for (var i = 0; i < docs.Count; i++) docs[i][column] = unified[i];
        }
        return new LmEvalSplit(docs, columns);
    }

    // Arrow's one type per column: null goes with anything, integers widen to floats, lists and structs unify
    // element by element and field by field; anything else is two types in one column.
    private static List<object?> Unify(List<object?> values, Func<int, string> where, string field)
    {
        string Kind(object? v) => v switch
        {
            null => "null",
            bool => "a boolean",
            long or double => "a number",
            string => "a string",
            List<object?> => "a list",
            _ => "an object",
        };
        var first = values.FindIndex(v => v is not null);
        if (first < 0) return values;
        var kind = Kind(values[first]);
        for (var i = 0; i < values.Count; i++)
            if (values[i] is not null && Kind(values[i]) != kind)
                throw new InvalidDataException($"{where(i)}: field '{field}' is {Kind(values[i])} here but {kind} at {where(first)}; a column holds one type.");
        switch (kind)
        {
            case "a number" when values.Any(v => v is double):
                return values.Select(v => v is long n ? (object?)(double)n : v).ToList();
            case "a list":
                var flat = new List<object?>();
                var owners = new List<int>();
                for (var i = 0; i < values.Count; i++)
                    if (values[i] is List<object?> l)
                        foreach (var x in l) { flat.Add(x); owners.Add(i); }
                var unified = Unify(flat, k => where(owners[k]), field + "[]");
                var result = values.Select(v => v is null ? null : (object?)new List<object?>()).ToList();
                for (var k = 0; k < flat.Count; k++) ((List<object?>)result[owners[k]]!).Add(unified[k]);
                return result;
            case "an object":
                var keys = new List<string>();
                foreach (var v in values.OfType<OrderedDictionary<string, object?>>())
                    foreach (var key in v.Keys)
                        if (!keys.Contains(key)) keys.Add(key);
                var objects = values.Select(v => v is null ? null : new OrderedDictionary<string, object?>(StringComparer.Ordinal)).ToList();
                foreach (var key in keys)
                {
                    var column = values.Select(v => v is OrderedDictionary<string, object?> d && d.TryGetValue(key, out var x) ? x : null).ToList();
                    var typed = Unify(column, where, $"{field}.{key}");
                    for (var i = 0; i < values.Count; i++)
                        if (objects[i] is { } o) o[key] = typed[i];
                }
                return [.. objects];
            default:
                return values;
        }
    }

    private static IEnumerable<(OrderedDictionary<string, object?>, string, int)> Json(string file)
    {
        var text = ReadUtf8(file);
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            JsonDocument array;
            try
            {
                array = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}:{(e.LineNumber ?? 0) + 1}: not JSON.", e);
            }
            using (array)
            {
                var n = 0;
                foreach (var element in array.RootElement.EnumerateArray())
                {
                    n++;
                    yield return (Object(element, $"{file} (document {n})"), file, n);
                }
            }
            yield break;
        }
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException e)
            {
                // System.Text.Json's messages can quote the text: say where only.
                throw new InvalidDataException($"{file}:{number}: not a JSON object (malformed JSON at byte {e.BytePositionInLine}).", e);
            }
            using (doc) yield return (Object(doc.RootElement, $"{file}:{number}"), file, number);
        }
    }

    private static OrderedDictionary<string, object?> Object(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: a document is a JSON object of fields.");
        var doc = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (doc.ContainsKey(p.Name)) throw new InvalidDataException($"{where}: field '{p.Name}' appears twice.");
            doc[p.Name] = Value(p.Value, where, p.Name);
        }
        return doc;
    }

    private static object? Value(JsonElement e, string where, string field) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString(),
        // Python's json reads 3 as an int and 3.0 or 3e0 as a float.
        JsonValueKind.Number when e.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0 =>
            e.TryGetInt64(out var n) ? n : throw new InvalidDataException($"{where}: field '{field}': an integer beyond 64 bits."),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.Array => e.EnumerateArray().Select(x => Value(x, where, field + "[]")).ToList(),
        _ => Object(e, $"{where}, field '{field}'"),
    };

    // The split's CSV files as datasets' csv builder reads them (pandas' C parser, 10,000 rows a chunk): Core's PandasCsv.
    private static IEnumerable<(OrderedDictionary<string, object?>, string, int)> Csv(IReadOnlyList<string> files)
    {
        var streams = files.Select(f => ((Stream)File.OpenRead(f), f)).ToList();
        CsvTable table;
        try
        {
            table = PandasCsv.Read(streams, MaxCsvRowChars);
        }
        catch (DataFileException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        finally
        {
            foreach (var (stream, _) in streams) stream.Dispose();
        }
        foreach (var row in table.Rows)
        {
            var doc = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            for (var c = 0; c < table.Columns.Count; c++) doc[table.Columns[c]] = row.Values[c];
            yield return (doc, row.File, row.Line);
        }
    }

    private static string ReadUtf8(string file)
    {
        var bytes = File.ReadAllBytes(file);
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return text.StartsWith('\uFEFF') ? text[1..] : text;
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes.Take(Math.Max(0, e.Index)).Count(b => b == '\n');
            throw new InvalidDataException($"{file}:{line}: not valid UTF-8.", e);
        }
    }
}

/// <summary>One split's documents and its columns (lm-eval's <c>features</c>), in first-seen order.</summary>
internal sealed record LmEvalSplit(IReadOnlyList<OrderedDictionary<string, object?>> Docs, IReadOnlyList<string> Columns);
