namespace ForgetLab.Core.Data;

/// <summary>A split's CSV files as <see cref="PandasCsv"/> reads them: the columns (the first file's, in its order) and every row.</summary>
public sealed record CsvTable(IReadOnlyList<string> Columns, IReadOnlyList<CsvRow> Rows);
