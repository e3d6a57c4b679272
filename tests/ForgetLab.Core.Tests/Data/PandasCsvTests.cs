using System.Text;
using ForgetLab.Core.Data;

namespace ForgetLab.Core.Tests.Data;

/// <summary>
/// What pandas or datasets would fill, guess or cast in an lm-eval task's CSV is refused at its file, line and column (the column's name, and its number in the message), so
/// a suite never scores items that differ from lm-eval's; what they read plainly is read the same (the agreement with
/// pandas itself is ForgetLab.Lab.Tests' PandasCsvAgreementTests).
/// </summary>
public sealed class PandasCsvTests
{
    private static CsvTable Read(params (string Text, string Name)[] files) =>
        PandasCsv.Read([.. files.Select(f => ((Stream)new MemoryStream(Encoding.UTF8.GetBytes(f.Text)), f.Name))], 1 << 16);

    private static DataFileException Refused(string text, int maxRecordChars = 1 << 16) =>
        Assert.Throws<DataFileException>(() => PandasCsv.Check(new MemoryStream(Encoding.UTF8.GetBytes(text)), "t.csv", maxRecordChars));

    [Theory]
    [InlineData("q,a\nx,1\n,2\n", 3, "q", "is empty in column 1, which pandas")]
    [InlineData("q,a\nx,1\n\"\",2\n", 3, "q", "is empty in column 1, which pandas")]
    [InlineData("q,a\nx,1\ny,NA\n", 3, "a", "is 'NA' in column 2, which pandas")]
    [InlineData("q,a\nx,1\ny,\"null\"\n", 3, "a", "is 'null' in column 2, which pandas")]
    [InlineData("q,a\nx,1\ny,2,3\n", 3, "", "3 fields, but the header has 2")]
    [InlineData("q,a\nx,1\ny\n", 3, "", "1 field, but the header has 2")]
    [InlineData("q,a\nx,1\n\"y,2\n", 3, "", "a quoted field is never closed")]
    [InlineData("q,a\nx,1\ny,99999999999999999999\n", 3, "a", "an integer beyond 64 bits in column 2")]
    [InlineData("", 0, "", "no header row")]
    [InlineData("\n  \n", 0, "", "no header row")]
    public void ACellPandasWouldReadAsMissingOrARowItWouldReshapeIsRefusedAtItsLineAndColumn(string text, int line, string field, string reason)
    {
        var e = Refused(text);
        Assert.Equal("t.csv", e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsRefusedAtItsLine()
    {
        var bytes = Encoding.UTF8.GetBytes("q,a\nx,1\ny,2\n").Concat(new byte[] { 0xFF, (byte)',', (byte)'3', (byte)'\n' }).ToArray();
        var e = Assert.Throws<DataFileException>(() => PandasCsv.Check(new MemoryStream(bytes), "t.csv", 1 << 16));
        Assert.Equal((4, "not valid UTF-8"), (e.Line, e.Reason));
    }

    [Fact]
    public void ARowLongerThanTheBoundIsRefusedWithoutReadingItWhole()
    {
        var e = Refused("q,a\nx,1\n" + new string('y', 100) + ",2\n", maxRecordChars: 64);
        Assert.Equal(3, e.Line);
        Assert.Contains("a row longer than 64 characters", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIntegerColumnIsTypedTenThousandRowsAtATimeAndAChunkOfTextInItIsRefusedWhereItStarts()
    {
        // datasets reads 10,000 rows a chunk and casts later chunks to the first one's types: text cannot become int64.
        var text = new StringBuilder("q,a\n");
        for (var i = 0; i < PandasCsv.ChunkRows; i++) text.Append("x,").Append(i).Append('\n');
        text.Append("y,one\n");
        var e = Refused(text.ToString());
        Assert.Equal((PandasCsv.ChunkRows + 2, "a"), (e.Line, e.Field));
        Assert.Contains("(column 2) holds text in the rows from here but integers in the rows from t.csv:2", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AFloatColumnTakesALaterChunkOfIntegersAsFloatsAndATextColumnTakesThemAsTheirDigits()
    {
        var text = new StringBuilder("q,a\n");
        for (var i = 0; i < PandasCsv.ChunkRows; i++) text.Append("x").Append(i).Append(",0.5\n");
        text.Append(" 007 ,3\n");
        var table = Read((text.ToString(), "t.csv"));
        Assert.Equal(PandasCsv.ChunkRows + 1, table.Rows.Count);
        Assert.Equal(new object[] { "x0", 0.5 }, table.Rows[0].Values);
        // The last chunk types q as integers (" 007 " is 7), cast to the first chunk's text as Arrow casts int64: "7".
        Assert.Equal(new object[] { "7", 3.0 }, table.Rows[^1].Values);
        Assert.Equal(PandasCsv.ChunkRows + 2, table.Rows[^1].Line);
    }

    [Fact]
    public void ASplitsFilesAreReadInOrderWithTheFirstFilesColumnsAndAFileWithOtherColumnsIsRefused()
    {
        var table = Read(("q,a\nx,1\n", "a.csv"), ("a,q\n2,y\n", "b.csv"));
        Assert.Equal(["q", "a"], table.Columns);
        Assert.Equal([("a.csv", 2, "x", 1L), ("b.csv", 2, "y", 2L)], table.Rows.Select(r => (r.File, r.Line, (string)r.Values[0], (long)r.Values[1])));

        var e = Assert.Throws<DataFileException>(() => Read(("q,a\nx,1\n", "a.csv"), ("q,b\ny,2\n", "b.csv")));
        Assert.Equal(("b.csv", 1), (e.File, e.Line));
        Assert.Contains("its columns (q, b) are not those of a.csv (q, a)", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckStreamsTheFileAndCountsItsRows()
    {
        Assert.Equal(3, PandasCsv.Check(new MemoryStream(Encoding.UTF8.GetBytes("q,a\r\n\"x\r\ny\",1\r\n\r\nz,2\rw,3")), "t.csv", 1 << 16));
    }
}
