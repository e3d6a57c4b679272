using System.Globalization;
using System.Text;
using System.Text.Json;
using ForgetLab.Core.Data;

namespace ForgetLab.Lab.Tests.Suites;

/// <summary>
/// A CSV file of an lm-eval task (<c>dataset_path: csv</c>) reads here as <c>pandas.read_csv</c> reads it for datasets:
/// the same column names, the same rows, every value of the same Python type and the same value (floats bit for bit),
/// on files written for the C parser's corners: quoting, line ends, blank rows, header names, and how a column is typed.
/// </summary>
public sealed class PandasCsvAgreementTests
{
    public static TheoryData<string, string> Files() => new()
    {
        { "quoting", "q,a\n\"a, b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\nab\"c,4\n\"ab\"c\"d\",5\n \"x\",6\n\"x\" ,7\n" },
        { "line ends", "q,a\r\nx,1\r\ny,2\rz,3\r\"p\r\nq\",4" },
        { "blank rows", "\n\nq,a\n\nx,1\n   \n\t\ny,2\n\n" },
        { "header names", "\uFEFFa,a,a.1,a,,\"b,c\", d \n1,2,3,4,5,6,7\n" },
        { "integers", "a,b,c,d\n 1 ,+2,007,-9223372036854775808\n2\t,-0,00,9223372036854775807\n" },
        { "floats", "a,b,c,d,e,f,g\n1.,.5,1e5,1e-400,inf,0.1,inf\n2,+.5,1E5,2,-Infinity,3.14159265358979,1\n3,-.5e+2,7,4,INF,1, INF \n" },
        { "not numbers", "a,b,c,d,e,f\n1e,0x10,1_000,1e400,- 1,1.2.3\n1,1,1,1,1,1\n" },
        { "booleans", "a,b,c,d\nTrue,TRUE,True ,True\nfalse,FALSE,false,1\n" },
        { "text", "a,b\n x ,héllo → 世界\n1.5x,\"\"\"quoted\"\"\"\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ColumnsRowsAndTypedValuesEqualPandasReadCsv(string name, string text)
    {
        var expected = Pandas(text);
        var table = PandasCsv.Read([(new MemoryStream(Encoding.UTF8.GetBytes(text)), $"{name}.csv")], 1 << 20);

        Assert.Equal(expected.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!), table.Columns);
        var rows = expected.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(rows.Count, table.Rows.Count);
        for (var r = 0; r < rows.Count; r++)
            Assert.Equal(rows[r].EnumerateArray().Select(v => v.GetString()!), table.Rows[r].Values.Select(Typed));
    }

    // A value as "type:value", floats by their IEEE bits, as the Python side prints them.
    private static string Typed(object value) => value switch
    {
        long n => $"int:{n.ToString(CultureInfo.InvariantCulture)}",
        double d => $"float:{BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture)}",
        bool b => $"bool:{(b ? "True" : "False")}",
        string s => $"str:{s}",
        _ => $"other:{value}",
    };

    private static JsonElement Pandas(string text)
    {
        var literal = JsonSerializer.Serialize(text);
        var output = LmEvalReference.Eval($$"""
            import io, json, struct
            import numpy as np
            import pandas as pd
            frame = pd.read_csv(io.BytesIO({{literal}}.encode("utf-8")))
            def typed(v):
                if isinstance(v, np.generic): v = v.item()
                if isinstance(v, bool): return f"bool:{v}"
                if isinstance(v, int): return f"int:{v}"
                if isinstance(v, float): return f"float:{struct.unpack('<q', struct.pack('<d', v))[0]}"
                return f"str:{v}"
            rows = [[typed(v) for v in row] for row in frame.itertuples(index=False, name=None)]
            print(json.dumps({"columns": [str(c) for c in frame.columns], "rows": rows}))
            """);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
