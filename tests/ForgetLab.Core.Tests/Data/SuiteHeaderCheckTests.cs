using System.Text;
using ForgetLab.Core.Data;

namespace ForgetLab.Core.Tests.Data;

/// <summary>
/// What the platform checks of a suite uploaded in a data set, without the lab's suite reader: the header is one bounded
/// YAML mapping with a task, naming JSONL items (or, for an lm-eval task with dataset_path: csv, CSV items) beside it; JSONL
/// items are one JSON object a line. Each refusal names the
/// file, line and field.
/// </summary>
public sealed class SuiteHeaderCheckTests
{
    private static IReadOnlyList<string> Items(string yaml) => SuiteHeaderCheck.ItemsFiles(Encoding.UTF8.GetBytes(yaml), "h.yaml");

    private static DataFileException Refused(string yaml) => Assert.Throws<DataFileException>(() => Items(yaml));

    [Fact]
    public void AForgetLabSuiteNamesItsItemsByDatasetPathAndAnLmEvalTaskByItsDataFiles()
    {
        Assert.Equal(["r.jsonl"], Items("task: r\ncategory: knowledge\noutput_type: generate_until\ndataset_path: r.jsonl\n"));
        Assert.Equal(["test.jsonl", "dev.jsonl"], Items("task: mc\ndataset_path: json\ndataset_kwargs:\n  data_files:\n    test: test.jsonl\n    validation: [dev.jsonl, test.jsonl]\n"));
        Assert.Equal(["all.jsonl"], Items("task: mc\ndataset_path: json\ndataset_kwargs: { data_files: all.jsonl }\n"));
        Assert.Equal(["test.csv", "train.csv"], Items("task: mc\ndataset_path: csv\ndataset_kwargs: { data_files: { test: test.csv, train: [train.csv] } }\n"));
    }

    [Theory]
    [InlineData("category: knowledge\ndataset_path: r.jsonl\n", 1, "task", "required field is missing")]
    [InlineData("task: r\ncategory: knowledge\n", 1, "dataset_path", "required field is missing")]
    [InlineData("task: r\ndataset_path: sub/r.jsonl\n", 2, "dataset_path", "must name .jsonl files beside the header")]
    [InlineData("task: r\ndataset_path: r.csv\n", 2, "dataset_path", "must name .jsonl files beside the header")]
    [InlineData("task: mc\ndataset_path: parquet\ndataset_kwargs: { data_files: a.parquet }\n", 2, "dataset_path", "reads them with dataset_path: json or csv")]
    [InlineData("task: mc\ndataset_path: csv\ndataset_kwargs: { data_files: a.jsonl }\n", 3, "dataset_kwargs.data_files", "must name .csv files beside the header")]
    [InlineData("task: mc\ndataset_path: json\ndataset_kwargs: { data_files: a.csv }\n", 3, "dataset_kwargs.data_files", "must name .jsonl files beside the header")]
    [InlineData("task: mc\ndataset_path: json\ndataset_kwargs: { split: x }\n", 3, "dataset_kwargs.data_files", "required field is missing")]
    [InlineData("- task: r\n", 1, "", "one YAML mapping")]
    [InlineData("task: r\n  x: [1\n", 2, "", "malformed YAML")]
    public void ABadHeaderIsRefusedAtItsLineAndField(string yaml, int line, string field, string reason)
    {
        var e = Refused(yaml);

        Assert.Equal(("h.yaml", line, field), (e.File, e.Line, e.Field));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SuiteItemsAreOneJsonObjectALineWhateverTheirFields()
    {
        static int Check(string text) => JsonlDataFile.CheckItems(new MemoryStream(Encoding.UTF8.GetBytes(text)), "i.jsonl", 1 << 20);

        Assert.Equal(2, Check("{\"question\": \"q\", \"choices\": [\"a\"], \"gold\": 0}\n\n{\"anything\": 1}\n"));
        var notObject = Assert.Throws<DataFileException>(() => Check("{\"a\": 1}\n[1]\n"));
        var empty = Assert.Throws<DataFileException>(() => Check("\n"));
        var notJson = Assert.Throws<DataFileException>(() => Check("{a\n"));

        Assert.Equal((2, "expected a JSON object, found an array"), (notObject.Line, notObject.Reason));
        Assert.Equal("no items: the suite is empty", empty.Reason);
        Assert.Equal(1, notJson.Line);
    }
}
