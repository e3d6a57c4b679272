using System.Globalization;
using System.Text;

namespace ForgetLab.Core.Data;

/// <summary>
/// CSV files read as lm-eval reads <c>dataset_path: csv</c>: Hugging Face datasets' csv builder hands each file to
/// <c>pandas.read_csv</c> with its defaults (the C parser) 10,000 rows at a time, and the first chunk's column types hold for
/// the rest (later chunks and files are cast to them). So: the first non-blank row is the header (an empty name is
/// <c>Unnamed: i</c>, a repeated one <c>a.1</c>, as pandas names them); fields are comma-separated, <c>"</c> quotes a field
/// (<c>""</c> inside is a quote, line breaks inside belong to it), a quote after a field's first character is kept as text;
/// <c>\n</c>, <c>\r\n</c> and <c>\r</c> end a row, and rows of nothing but spaces and tabs are skipped; a UTF-8 BOM is dropped.
/// Each column of a chunk is typed as pandas types it: all integers <c>int</c> (spaces around them allowed), else all
/// numbers <c>float</c> (<c>inf</c>/<c>Infinity</c> in any case; one that overflows is not a number), else all
/// <c>True</c>/<c>TRUE</c>/<c>true</c>/<c>False</c>/<c>FALSE</c>/<c>false</c> <c>bool</c>, else text kept as written.
/// Where pandas or datasets would guess (a cell pandas reads as missing: empty, <c>NA</c>, <c>null</c>, …; a row of another
/// width, which pandas fills or shifts; an integer beyond 64 bits among integers, read by its order in the column) or a
/// chunk types a column otherwise than the first (datasets casts, losing what was written, or refuses), the file is refused
/// at its line and column. Floats are correctly rounded, as pandas' reader is for up to 15 significant digits.
/// </summary>
public static class PandasCsv
{
    /// <summary>Rows datasets' csv builder reads at a time (<c>CsvConfig.chunksize</c>); each chunk's columns are typed apart.</summary>
    public const int ChunkRows = 10_000;

    /// <summary>What pandas reads as missing (<c>STR_NA_VALUES</c>; <c>None</c> since pandas 2), also when quoted.</summary>
    private static readonly HashSet<string> Missing =
    [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
        "NULL", "NaN", "None", "n/a", "nan", "null",
    ];

    /// <summary>
    /// Reads a split's files in order (lm-eval's <c>data_files</c> of one split) into one table: the first file's columns
    /// (another file must have the same ones, in any order) and every row's values (long, double, bool or string).
    /// </summary>
    public static CsvTable Read(IReadOnlyList<(Stream Source, string Name)> files, int maxRecordChars)
    {
        var table = new TableBuilder(keepRows: true);
        foreach (var (source, name) in files) table.Add(source, name, maxRecordChars);
        return table.Finish(files.Count == 0 ? "" : files[0].Name);
    }

    /// <summary>Checks one file as <see cref="Read"/> reads it while it streams, keeping no row; answers its rows.</summary>
    public static int Check(Stream source, string name, int maxRecordChars)
    {
        var table = new TableBuilder(keepRows: false);
        table.Add(source, name, maxRecordChars);
        return table.Rows;
    }

    /// <summary>The words pandas' float reader takes for infinity, in any case, as the whole cell.</summary>
    private static readonly HashSet<string> InfinityWords = new(["inf", "+inf", "-inf", "Infinity", "+Infinity", "-Infinity"], StringComparer.OrdinalIgnoreCase);

    private enum ColumnType { Int, Float, Bool, Text }

    private static string Describe(ColumnType type) => type switch
    {
        ColumnType.Int => "integers",
        ColumnType.Float => "numbers",
        ColumnType.Bool => "booleans",
        _ => "text",
    };

    private sealed class TableBuilder(bool keepRows)
    {
        private List<string>? _columns;
        private string _columnsFrom = "";
        private ColumnType[]? _types;
        private string _typedAt = "";
        private readonly List<CsvRow> _rows = [];

        public int Rows { get; private set; }

        public void Add(Stream source, string name, int maxRecordChars)
        {
            List<string>? header = null;
            int[]? order = null;
            var chunk = new Chunk(keepRows);
            foreach (var (fields, line) in Records(source, name, maxRecordChars))
            {
                if (header is null)
                {
                    header = Header(fields);
                    order = Order(header, name, line);
                    continue;
                }
                if (fields.Count != header.Count)
                    throw new DataFileException(name, line, "", $"{fields.Count} field{(fields.Count == 1 ? "" : "s")}, but the header has {header.Count} (pandas would fill the row with missing values or shift it)");
                for (var c = 0; c < fields.Count; c++)
                    if (Missing.Contains(fields[c]))
                        throw new DataFileException(name, line, header[c],
                            $"{(fields[c].Length == 0 ? "is empty" : $"is '{fields[c]}'")} in column {c + 1}, which pandas (lm-eval's CSV reader) reads as missing; ForgetLab refuses it rather than guess");
                chunk.Take(fields, line);
                Rows++;
                if (chunk.Count == ChunkRows) Flush(chunk, header, order!, name);
            }
            if (header is null) throw new DataFileException(name, 0, "", "no header row: the file is empty");
            if (chunk.Count > 0) Flush(chunk, header, order!, name);
        }

        public CsvTable Finish(string name)
        {
            if (_columns is null) throw new DataFileException(name, 0, "", "no header row: the file is empty");
            return new CsvTable(_columns, _rows);
        }

        // The first file's columns hold; another file's are put in that order (datasets casts each table to the first
        // schema by name), and a file with other columns is refused.
        private int[] Order(List<string> header, string name, int line)
        {
            if (_columns is null)
            {
                _columns = header;
                _columnsFrom = name;
                return [.. Enumerable.Range(0, header.Count)];
            }
            if (header.Count != _columns.Count || header.Except(_columns, StringComparer.Ordinal).Any())
                throw new DataFileException(name, line, "", $"its columns ({string.Join(", ", header)}) are not those of {_columnsFrom} ({string.Join(", ", _columns)}); a split's files have the same columns");
            return [.. _columns.Select(c => header.IndexOf(c))];
        }

        private void Flush(Chunk chunk, List<string> header, int[] order, string name)
        {
            var types = new ColumnType[header.Count];
            for (var c = 0; c < header.Count; c++) types[c] = chunk.Type(c, name, header[c], c + 1);
            var firstLine = chunk.FirstLine;
            if (_types is null)
            {
                _types = [.. order.Select(i => types[i])];
                _typedAt = $"{name}:{firstLine}";
            }
            else
            {
                for (var k = 0; k < order.Length; k++)
                {
                    var (was, now) = (_types[k], types[order[k]]);
                    if (was == now || was == ColumnType.Float && now == ColumnType.Int || was == ColumnType.Text && now == ColumnType.Int) continue;
                    throw new DataFileException(name, firstLine, header[order[k]],
                        $"(column {order[k] + 1}) holds {Describe(now)} in the rows from here but {Describe(was)} in the rows from {_typedAt} (datasets types a CSV {ChunkRows:N0} rows at a time and casts later rows to the first rows' types, which would change or refuse these); make the column one type");
                }
            }
            if (keepRows)
                foreach (var (fields, line) in chunk.Records)
                    _rows.Add(new CsvRow(name, line, [.. order.Select((i, k) => Value(fields[i], types[i], _types[k]))]));
            chunk.Clear();
        }

        // A cell of a chunk typed `read`, cast to the table's type `held` as Arrow casts it (int64 to double or to its digits).
        private static object Value(string cell, ColumnType read, ColumnType held) => (read, held) switch
        {
            (ColumnType.Int, ColumnType.Float) => (double)ParseInt(cell)!.Value,
            (ColumnType.Int, ColumnType.Text) => ParseInt(cell)!.Value.ToString(CultureInfo.InvariantCulture),
            (ColumnType.Int, _) => ParseInt(cell)!.Value,
            (ColumnType.Float, _) => ParseFloat(cell)!.Value,
            (ColumnType.Bool, _) => cell is "True" or "TRUE" or "true",
            _ => cell,
        };
    }

    /// <summary>A chunk's rows and, per column, how far pandas' int → float → bool → text inference has got.</summary>
    private sealed class Chunk(bool keepRows)
    {
        private readonly List<(List<string> Fields, int Line)> _records = [];
        private ColumnState[] _states = [];

        public int Count { get; private set; }

        public int FirstLine { get; private set; }

        /// <summary>The chunk's rows, when kept (a check keeps only each column's state, so memory is one row's).</summary>
        public IReadOnlyList<(List<string> Fields, int Line)> Records => _records;

        public void Take(List<string> fields, int line)
        {
            if (Count++ == 0)
            {
                FirstLine = line;
                _states = [.. fields.Select(_ => new ColumnState())];
            }
            for (var c = 0; c < fields.Count; c++) _states[c].Take(fields[c], line);
            if (keepRows) _records.Add((fields, line));
        }

        public ColumnType Type(int column, string name, string field, int number) => _states[column].Type(name, field, number);

        public void Clear()
        {
            _records.Clear();
            Count = 0;
        }
    }

    private sealed class ColumnState
    {
        // pandas tries int64 down the column and stops at the first cell that is not an integer (then floats, bools, text)
        // or at the first integer beyond int64 (then a uint64 pass whose outcome depends on the cells' order).
        private bool _intFailed;
        private int _overflowLine;
        private bool _allFloat = true;
        private bool _allBool = true;

        public void Take(string cell, int line)
        {
            if (!_intFailed && _overflowLine == 0)
            {
                if (!IsIntSyntax(cell)) _intFailed = true;
                else if (ParseInt(cell) is null) _overflowLine = line;
            }
            if (_allFloat && ParseFloat(cell) is null) _allFloat = false;
            if (_allBool && cell is not ("True" or "TRUE" or "true" or "False" or "FALSE" or "false")) _allBool = false;
        }

        public ColumnType Type(string name, string field, int number)
        {
            if (_overflowLine > 0)
                throw new DataFileException(name, _overflowLine, field,
                    $"is an integer beyond 64 bits in column {number}, a column of integers, which pandas reads as uint64, float or text by the order of the column's cells; ForgetLab refuses it rather than guess");
            return !_intFailed ? ColumnType.Int : _allFloat ? ColumnType.Float : _allBool ? ColumnType.Bool : ColumnType.Text;
        }
    }

    // isspace in the C locale, which pandas' number readers skip around a number.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    private static ReadOnlySpan<char> Trim(string s)
    {
        var span = s.AsSpan();
        while (span.Length > 0 && IsSpace(span[0])) span = span[1..];
        while (span.Length > 0 && IsSpace(span[^1])) span = span[..^1];
        return span;
    }

    // str_to_int64: spaces, a sign, ASCII digits, spaces.
    private static bool IsIntSyntax(string s)
    {
        var t = Trim(s);
        if (t.Length > 0 && t[0] is '+' or '-') t = t[1..];
        return t.Length > 0 && !t.ContainsAnyExceptInRange('0', '9');
    }

    private static long? ParseInt(string s) =>
        IsIntSyntax(s) && long.TryParse(Trim(s), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    // xstrtod: spaces, a sign, digits with at most one '.', at least one digit, an exponent (e/E, a sign, digits), spaces;
    // else the words inf/+inf/-inf/Infinity/+Infinity/-Infinity in any case, as they stand. Overflow is not a number.
    private static double? ParseFloat(string s)
    {
        if (InfinityWords.Contains(s)) return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        var t = Trim(s);
        var i = 0;
        if (i < t.Length && t[i] is '+' or '-') i++;
        var digits = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i])) { i++; digits++; }
        if (i < t.Length && t[i] == '.')
        {
            i++;
            while (i < t.Length && char.IsAsciiDigit(t[i])) { i++; digits++; }
        }
        if (digits == 0) return null;
        if (i < t.Length && t[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < t.Length && t[j] is '+' or '-') j++;
            var exponentDigits = 0;
            while (j < t.Length && char.IsAsciiDigit(t[j])) { j++; exponentDigits++; }
            if (exponentDigits == 0) return null;
            i = j;
        }
        if (i != t.Length) return null;
        var value = double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value) ? value : null;
    }

    /// <summary>pandas' header names: an empty one is <c>Unnamed: i</c>; a repeated one takes <c>.1</c>, <c>.2</c>, … past any name the header holds.</summary>
    private static List<string> Header(List<string> fields)
    {
        var names = fields.Select((f, i) => f.Length == 0 ? $"Unnamed: {i}" : f).ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var original = names[i];
            var column = original;
            var count = counts.GetValueOrDefault(column);
            if (count > 0)
            {
                while (count > 0)
                {
                    counts[original] = count + 1;
                    column = $"{original}.{count}";
                    count = names.Contains(column, StringComparer.Ordinal) ? count + 1 : counts.GetValueOrDefault(column);
                }
                names[i] = column;
            }
            counts[column] = count + 1;
        }
        return names;
    }

    /// <summary>
    /// The rows of a CSV as pandas' C tokenizer splits them (blank rows skipped), each with the line it starts on; strict UTF-8
    /// decoded as it streams, a row at most <paramref name="maxRecordChars"/> characters.
    /// </summary>
    private static IEnumerable<(List<string> Fields, int Line)> Records(Stream source, string name, int maxRecordChars)
    {
        var chars = new CsvChars(source, name);
        var fields = new List<string>();
        var field = new StringBuilder();
        var recordChars = 0;
        var line = 1;
        var recordLine = 1;
        var state = State.StartRecord;
        var blanks = new StringBuilder();
        while (true)
        {
            var next = chars.Next();
            if (next < 0) break;
            var c = (char)next;
            if (++recordChars > maxRecordChars)
                throw new DataFileException(name, recordLine, "", $"a row longer than {maxRecordChars} characters");
            // A line break: \n, \r\n or \r, counted once.
            var lineBreak = c is '\n' or '\r';
            var crlf = c == '\r' && chars.Peek() == '\n';
            if (crlf) chars.Next();
            switch (state)
            {
                case State.StartRecord when lineBreak:
                    line++;
                    recordLine = line;
                    recordChars = 0;
                    continue;
                case State.StartRecord when c is ' ' or '\t':
                    blanks.Clear().Append(c);
                    state = State.WhitespaceLine;
                    continue;
                case State.WhitespaceLine when c is ' ' or '\t':
                    blanks.Append(c);
                    continue;
                case State.WhitespaceLine when lineBreak:
                    line++;
                    recordLine = line;
                    recordChars = 0;
                    state = State.StartRecord;
                    continue;
                case State.WhitespaceLine:
                    // Not a blank row after all: the spaces are the field's first characters.
                    field.Append(blanks);
                    state = State.InField;
                    break;
                case State.StartRecord:
                    state = State.StartField;
                    break;
            }
            switch (state)
            {
                case State.StartField when c == '"':
                    state = State.InQuoted;
                    break;
                case State.InQuoted when c == '"':
                    state = State.QuoteInQuoted;
                    break;
                case State.InQuoted:
                    if (lineBreak) line++;
                    field.Append(crlf ? "\r\n" : c);
                    break;
                case State.QuoteInQuoted when c == '"':
                    field.Append('"');
                    state = State.InQuoted;
                    break;
                case State.StartField or State.InField or State.QuoteInQuoted when c == ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    state = State.StartField;
                    break;
                case State.StartField or State.InField or State.QuoteInQuoted when lineBreak:
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (fields, recordLine);
                    fields = [];
                    line++;
                    recordLine = line;
                    recordChars = 0;
                    state = State.StartRecord;
                    break;
                default:
                    field.Append(c);
                    state = State.InField;
                    break;
            }
        }
        if (state == State.InQuoted) throw new DataFileException(name, recordLine, "", "a quoted field is never closed");
        if (state is State.StartField or State.InField or State.QuoteInQuoted)
        {
            fields.Add(field.ToString());
            yield return (fields, recordLine);
        }
    }

    private enum State { StartRecord, WhitespaceLine, StartField, InField, InQuoted, QuoteInQuoted }

    /// <summary>A stream's characters, strictly UTF-8 (a leading BOM dropped), an invalid byte refused at its line.</summary>
    private sealed class CsvChars(Stream source, string name)
    {
        private readonly Decoder _decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        private readonly byte[] _bytes = new byte[1 << 16];
        private readonly char[] _chars = new char[(1 << 16) + 4];
        private int _length;
        private int _position;
        private int _lines = 1;
        private bool _first = true;
        private bool _ended;
        private int _peeked = -2;

        public int Peek()
        {
            if (_peeked == -2) _peeked = Read();
            return _peeked;
        }

        public int Next()
        {
            if (_peeked == -2) return Read();
            var c = _peeked;
            _peeked = -2;
            return c;
        }

        private int Read()
        {
            while (_position == _length)
            {
                if (_ended) return -1;
                Fill();
            }
            return _chars[_position++];
        }

        private void Fill()
        {
            var read = source.Read(_bytes, 0, _bytes.Length);
            _ended = read == 0;
            try
            {
                _length = _decoder.GetChars(_bytes, 0, read, _chars, 0, flush: _ended);
            }
            catch (DecoderFallbackException e)
            {
                var upTo = Math.Clamp(e.Index, 0, read);
                throw new DataFileException(name, _lines + _bytes.AsSpan(0, upTo).Count((byte)'\n'), "", "not valid UTF-8");
            }
            _lines += _bytes.AsSpan(0, read).Count((byte)'\n');
            _position = 0;
            if (_first && _length > 0)
            {
                _first = false;
                if (_chars[0] == '\uFEFF') _position = 1;
            }
        }
    }
}
