using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// Loads a split the way <c>datasets.load_dataset("json" | "csv", data_files=…)</c> gives it to lm-eval: a list of
/// documents with the same columns (a key missing from a JSON line is null, as Arrow fills it), each column of one
/// type (integers in a column that also holds floats become floats). JSON files are JSON Lines or one array of
/// objects; CSV files have a header row and are typed per column as pandas reads them (all integers: int; all
/// numbers: float; all <c>True</c>/<c>False</c>: bool; else text). What datasets would fill or guess
/// (an empty CSV cell, pandas' missing-value words such as <c>NA</c>) or refuse (a column of text and numbers) is
/// an error naming the file, the line and the field.
/// </summary>
internal static class LmEvalDataFiles
{
    private static readonly HashSet<string> PandasMissing =
    [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
        "NULL", "NaN", "None", "n/a", "nan", "null",
    ];

    public static LmEvalSplit Load(string format, IReadOnlyList<string> files)
    {
        var rows = new List<(OrderedDictionary<string, object?> Doc, string File, int Line)>();
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw new InvalidDataException($"The data file {file} does not exist (dataset_kwargs.data_files).");
            rows.AddRange(format == "json" ? Json(file) : Csv(file));
        }
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

    private static IEnumerable<(OrderedDictionary<string, object?>, string, int)> Csv(string file)
    {
        var records = CsvRecords(ReadUtf8(file), file).ToList();
        if (records.Count == 0) throw new InvalidDataException($"{file}: no header row.");
        var header = records[0].Fields;
        if (header.Distinct(StringComparer.Ordinal).Count() != header.Count) throw new InvalidDataException($"{file}:1: a column name appears twice.");
        var body = records.Skip(1).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Length == 0)).ToList();
        foreach (var r in body)
        {
            if (r.Fields.Count != header.Count)
                throw new InvalidDataException($"{file}:{r.Line}: {r.Fields.Count} fields, but the header has {header.Count}.");
            for (var c = 0; c < header.Count; c++)
                if (PandasMissing.Contains(r.Fields[c]))
                    throw new InvalidDataException($"{file}:{r.Line}: field '{header[c]}' is {(r.Fields[c].Length == 0 ? "empty" : $"'{r.Fields[c]}'")}, which pandas (lm-eval's CSV reader) reads as missing; ForgetLab refuses it rather than guess.");
        }
        var types = new string[header.Count];
        for (var c = 0; c < header.Count; c++)
        {
            var cells = body.Select(r => r.Fields[c]).ToList();
            types[c] = cells.All(IsInt) ? "int" : cells.All(IsFloat) ? "float" : cells.All(x => x is "True" or "TRUE" or "true" or "False" or "FALSE" or "false") ? "bool" : "str";
        }
        foreach (var r in body)
        {
            var doc = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            for (var c = 0; c < header.Count; c++)
            {
                var cell = r.Fields[c];
                doc[header[c]] = types[c] switch
                {
                    "int" => long.Parse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                    "float" => ParseFloat(cell),
                    "bool" => cell is "True" or "TRUE" or "true",
                    _ => cell,
                };
            }
            yield return (doc, file, r.Line);
        }
    }

    private static bool IsInt(string s) => s.Length > 0 && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static bool IsFloat(string s) => s.Length > 0 && s.Trim() == s && (s is "inf" or "-inf" or "+inf" or "Infinity" or "-Infinity" || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _));

    private static double ParseFloat(string s) => s switch
    {
        "inf" or "+inf" or "Infinity" => double.PositiveInfinity,
        "-inf" or "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    // RFC 4180 as pandas' C parser reads it: comma-separated, double quotes around a field, "" inside one is a quote,
    // line breaks inside quotes belong to the field; \r\n and \n both end a record.
    private static IEnumerable<(List<string> Fields, int Line)> CsvRecords(string text, string file)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                if (c == '"') { quoted = false; i++; continue; }
                if (c == '\n') line++;
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (fields, recordLine);
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
            i++;
        }
        if (quoted) throw new InvalidDataException($"{file}:{recordLine}: a quoted field is never closed.");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (fields, recordLine);
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
