using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Tests.World;

public sealed class SuiteFilesTests(WorldFixture fixture) : IClassFixture<WorldFixture>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"forgetlab-suites-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void EveryBuiltInSuiteWrittenAsYamlAndJsonlReadsBackTheSame()
    {
        foreach (var suite in fixture.World.Suites.BuiltIn(fixture.World.Targets.ConflictingFacts(5, 0)))
        {
            var read = SuiteReader.Read(SuiteWriter.Write(suite, Path.Combine(_directory, suite.Name)));

            Assert.Equal((suite.Name, suite.Version, suite.Category, suite.Kind, suite.Metric), (read.Name, read.Version, read.Category, read.Kind, read.Metric));
            Assert.Equal(suite.Until, read.Until);
            Assert.Equal(suite.Items.Count, read.Items.Count);
            for (var i = 0; i < suite.Items.Count; i++)
            {
                Assert.Equal((suite.Items[i].Id, suite.Items[i].Prompt, suite.Items[i].Gold, suite.Items[i].Target), (read.Items[i].Id, read.Items[i].Prompt, read.Items[i].Gold, read.Items[i].Target));
                Assert.Equal(suite.Items[i].Choices, read.Items[i].Choices);
            }
        }
    }

    [Fact]
    public void TheYamlHeaderNamesTheItemsFileLikeLmEvaluationHarness()
    {
        var suite = fixture.World.Suites.CapitalsMc(new HashSet<string>());

        var yaml = File.ReadAllText(SuiteWriter.Write(suite, _directory));

        Assert.Contains("task: capitals_mc", yaml);
        Assert.Contains("output_type: multiple_choice", yaml);
        Assert.Contains("dataset_path: capitals_mc.jsonl", yaml);
        Assert.StartsWith("{\"id\":\"capital:", File.ReadLines(Path.Combine(_directory, "capitals_mc.jsonl")).First());
    }

    [Fact]
    public void AUserSuiteWithoutAVersionGetsOneFromItsItems()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "mine.yaml"), "task: mine\ncategory: skill\noutput_type: generate_until\ndataset_path: mine.jsonl\n");
        File.WriteAllText(Path.Combine(_directory, "mine.jsonl"), "{\"id\":\"one\",\"prompt\":\"2 + 2 =\",\"target\":\"4\"}\n");

        var suite = SuiteReader.Read(Path.Combine(_directory, "mine.yaml"));

        Assert.Equal("exact_match", suite.Metric);
        Assert.StartsWith("0-", suite.Version);
        Assert.Equal(["."], suite.Until);
        Assert.Equal(("one", "2 + 2 =", "4"), (suite.Items[0].Id, suite.Items[0].Prompt, suite.Items[0].Target));
    }

    [Theory]
    [InlineData("task: bad\ncategory: skill\noutput_type: guess\ndataset_path: bad.jsonl\n", "{\"id\":\"a\",\"prompt\":\"p\",\"target\":\"t\"}", "output_type")]
    [InlineData("task: bad\ncategory: skill\noutput_type: generate_until\ndataset_path: bad.jsonl\ncolour: red\n", "{\"id\":\"a\",\"prompt\":\"p\",\"target\":\"t\"}", "(line 5, column 1): an unknown field")]
    [InlineData("task: bad\ncategory: skill\noutput_type: multiple_choice\ndataset_path: bad.jsonl\n", "{\"id\":\"a\",\"prompt\":\"p\",\"choices\":[\"x\",\"y\"],\"gold\":2}", "bad.jsonl:1")]
    [InlineData("task: bad\ncategory: skill\noutput_type: generate_until\ndataset_path: bad.jsonl\n", "{\"id\":\"a\",\"prompt\":\"p\",\"target\":\"t\",\"extra\":1}", "bad.jsonl:1")]
    [InlineData("task: bad\ncategory: skill\noutput_type: generate_until\ndataset_path: missing.jsonl\n", "", "missing.jsonl")]
    public void AMalformedSuiteIsRejectedWithWhereAndWhat(string yaml, string jsonl, string mentioned)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "bad.yaml"), yaml);
        File.WriteAllText(Path.Combine(_directory, "bad.jsonl"), jsonl + "\n");

        var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(Path.Combine(_directory, "bad.yaml")));

        Assert.Contains(mentioned, error.Message);
    }

    /// <summary>The host-paths finding: a run's failure reason quoted a planted file's first key ("Property '…' not found").</summary>
    [Theory]
    [InlineData("root:x:0:0:root:/root:/bin/bash\n", "x", "(line 1, column 1)")]
    [InlineData("task: t\ncategory: skill\noutput_type: generate_until\ndataset_path: items.jsonl\n", "{\"id\": \"a\", \"prompt\": SECRET_TOKEN_42}", "items.jsonl:1: not a suite item")]
    [InlineData("task: t\ncategory: skill\noutput_type: generate_until\ndataset_path: items.jsonl\n", "{\"id\": \"SECRET_TOKEN_42\", \"prompt\": \"p\", \"target\": \"t\"}\n{\"id\": \"SECRET_TOKEN_42\", \"prompt\": \"p\", \"target\": \"t\"}", "items.jsonl:2: the id is the same as line 1's")]
    [InlineData("task: t\ncategory: SECRET_TOKEN_42\noutput_type: generate_until\ndataset_path: items.jsonl\n", "", "category is not one of")]
    public void HostPathsFinding_ASuiteErrorNamesFileLineAndFieldButNeverQuotesTheFile(string yaml, string jsonl, string says)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "planted.yaml"), yaml);
        File.WriteAllText(Path.Combine(_directory, "items.jsonl"), jsonl + "\n");

        var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(Path.Combine(_directory, "planted.yaml")));

        Assert.Contains(says, error.Message);
        Assert.DoesNotContain("SECRET_TOKEN_42", error.Message);
        Assert.DoesNotContain("root:x", error.Message);
    }

    [Theory]
    [InlineData("/etc/passwd", "must be relative to the spec directory, not absolute")]
    [InlineData("../../../../etc/passwd", "must not contain '..'")]
    public void HostPathsFinding_OnThePlatformASuitesItemsFileStaysInsideTheSpecDirectory(string datasetPath, string message)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "mine.yaml"), $"task: t\ncategory: skill\noutput_type: generate_until\ndataset_path: '{datasetPath}'\n");

        var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(Path.Combine(_directory, "mine.yaml"), confinedTo: _directory));

        Assert.Contains($"dataset_path: an items file path {message}", error.Message);
    }
}
