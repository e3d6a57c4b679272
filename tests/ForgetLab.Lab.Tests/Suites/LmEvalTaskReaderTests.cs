using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Suites.LmEval;

namespace ForgetLab.Lab.Tests.Suites;

/// <summary>
/// An lm-eval task file listed in a spec's suites is read as the suite it defines, with lm-eval's requests and
/// metrics; whatever ForgetLab does not read (Python, Hub data sets, unknown keys) and every bad data file is refused
/// with an error naming the file and the key, or the file, the line and the field.
/// </summary>
public sealed class LmEvalTaskReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forgetlab-lmeval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AnArcStyleTaskFileReadsAsAMultipleChoiceSuiteWithLmEvalsRequests()
    {
        var suite = SuiteReader.Read(LmEvalReference.Fixture("arc_style/arc_style.yaml"));

        Assert.Equal(("arc_style", SuiteKinds.MultipleChoice, "knowledge", "acc"), (suite.Name, suite.Kind, suite.Category, suite.Metric));
        Assert.Matches("^1\\.0\\+[0-9a-f]{8}-[0-9a-f]{8}$", suite.Version);
        Assert.Equal(8, suite.Items.Count);
        Assert.Equal(["Mercury", "Venus", "Earth", "Mars"], suite.Items[0].Choices);
        Assert.Equal((0, "Mercury"), (suite.Items[0].Gold, suite.Items[0].Target));
        Assert.EndsWith("Question: Which planet is closest to the Sun?\nAnswer:", suite.Items[0].Prompt, StringComparison.Ordinal);
        Assert.Equal(" ", suite.TargetDelimiter);
        Assert.Equal([" Mercury", " Venus", " Earth", " Mars"], suite.LmEval!.Docs[0].Continuations);
    }

    [Fact]
    public void AGsm8kStyleTaskReadsAsGenerateUntilWithItsStopStringsAndFilteredMetric()
    {
        var suite = SuiteReader.Read(LmEvalReference.Fixture("gsm8k_style/gsm8k_style.yaml"));

        Assert.Equal((SuiteKinds.GenerateUntil, "exact_match,strict-match", "unrelated"), (suite.Kind, suite.Metric, suite.Category));
        Assert.Equal(["Question:", "</s>", "<|im_end|>"], suite.Until);
        Assert.Equal("6*12 = <<6*12=72>>72 pencils.\n#### 72", suite.Items[0].Target);
        Assert.StartsWith("3.0+", suite.Version, StringComparison.Ordinal);
        Assert.Equal(1.0, suite.LmEval!.ScoreGeneration(2, "so #### 1,250")["exact_match,strict-match"]);
        Assert.Equal(0.0, suite.LmEval.ScoreGeneration(2, "so #### 1,205")["exact_match,strict-match"]);
    }

    [Fact]
    public void ChangingHowItemsAreScoredChangesTheSuiteVersionEvenWhenCapped()
    {
        var yaml = File.ReadAllText(LmEvalReference.Fixture("gsm8k_style/gsm8k_style.yaml"));
        foreach (var name in new[] { "train.csv", "test.csv" }) File.Copy(LmEvalReference.Fixture($"gsm8k_style/{name}"), Path.Combine(_dir, name));
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), yaml);
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), yaml.Replace("ignore_case: true", "ignore_case: false", StringComparison.Ordinal));
        var a = SuiteReader.Read(Path.Combine(_dir, "a.yaml"));
        var b = SuiteReader.Read(Path.Combine(_dir, "b.yaml"));

        Assert.Equal(a.Items, b.Items);
        Assert.NotEqual(a.Version, b.Version);
        Assert.NotEqual(ForgetLab.Lab.Runs.SuiteSelection.Cap(a, 2).Version, ForgetLab.Lab.Runs.SuiteSelection.Cap(b, 2).Version);
    }

    [Fact]
    public void FewshotExamplesFromTheTestSplitNeverIncludeTheDocumentItselfAndFollowTheSeed()
    {
        var yaml = LmEvalReference.Fixture("arc_style/arc_style.yaml");
        var task = LmEvalTaskReader.Read(yaml);
        Assert.All(task.Docs, d => Assert.DoesNotContain(int.Parse(d.Id, System.Globalization.CultureInfo.InvariantCulture), d.Fewshot));
        Assert.All(task.Docs, d => Assert.Equal(3, d.Fewshot.Distinct().Count()));
        Assert.NotEqual(task.Docs.Select(d => d.Fewshot).SelectMany(f => f), LmEvalTaskReader.Read(yaml, fewshotSeed: 42).Docs.Select(d => d.Fewshot).SelectMany(f => f));
    }

    [Fact]
    public void AHellaswagStyleTaskScoresAccNormByChoiceLength()
    {
        var task = LmEvalTaskReader.Read(LmEvalReference.Fixture("hellaswag_style/hellaswag_style.yaml"));
        var doc = task.Docs[4]; // choices of 41, 17, 5 and 5 characters; gold 0
        Assert.Equal("acc_norm", task.ToSuite().Metric);
        var scores = task.ScoreChoices(4, [-8.0, -7.0, -6.0, -6.5], [false, false, false, false]);
        Assert.Equal((1.0, 0.0), (scores["acc_norm"], scores["acc"]));
        Assert.Equal([0], doc.Gold);
    }

    [Fact]
    public void EvaluationScoresEachItemByThePrimaryMetricAndCutsGenerationsAtEveryStopString()
    {
        var gsm = LmEvalTaskReader.Read(LmEvalReference.Fixture("gsm8k_style/gsm8k_style.yaml"));
        IReadOnlyList<string>? seenUntil = null;
        var (values, responses) = LmEvalEvaluation.Score(gsm.ToSuite(), _ => throw new InvalidOperationException(),
            (contexts, until, _) => { seenUntil = until; return contexts.Select((_, i) => i == 0 ? " #### 72\n\nQuestion: next" : $" #### {i}</s> #### 180").ToList(); },
            _ => throw new InvalidOperationException());
        Assert.Equal(["Question:", "</s>", "<|im_end|>"], seenUntil);
        Assert.Equal(" #### 72\n\n", responses[0]);
        Assert.Equal([1.0, 0.0, 0.0, 0.0, 1.0], values); // doc 1 would match at "#### 180" had the cut not stopped at "</s>"

        var arc = LmEvalTaskReader.Read(LmEvalReference.Fixture("arc_style/arc_style.yaml"));
        // A model that always prefers the gold continuation scores 1 on every item, whatever the prompt.
        var (accs, picks) = LmEvalEvaluation.Score(arc.ToSuite(),
            requests => requests.Select(r => (arc.Docs.Any(d => d.Context == r.Context && d.Continuations[d.Gold[0]] == r.Continuation) ? -1.0 : -5.0, false)).ToList(),
            (_, _, _) => throw new InvalidOperationException(), _ => throw new InvalidOperationException());
        Assert.All(accs, a => Assert.Equal(1.0, a));
        Assert.Equal("Mercury", picks[0]);

        // eval.max_items keeps some items: only those documents are asked about, in the items' order.
        var capped = ForgetLab.Lab.Runs.SuiteSelection.Cap(arc.ToSuite(), 3);
        var asked = new List<string>();
        var (cappedValues, _) = LmEvalEvaluation.Score(capped,
            requests => { asked.AddRange(requests.Select(r => r.Context).Distinct()); return requests.Select(_ => (-1.0, false)).ToList(); },
            (_, _, _) => throw new InvalidOperationException(), _ => throw new InvalidOperationException());
        Assert.Equal(3, cappedValues.Length);
        Assert.Equal(capped.Items.Select(i => i.Prompt), asked);
    }

    public static TheoryData<string, string, string[]> Refusals() => new()
    {
        { "process_docs: !function utils.process_docs\n", "", ["task.yaml (line 12)", "process_docs", "!function"] },
        { "process_docs: utils.process_docs\n", "", ["task.yaml (line 12)", "process_docs: refused"] },
        { "unknown_key: 1\n", "", ["task.yaml (line 12)", "unknown_key", "not a task key"] },
        { "doc_to_decontamination_query: !function utils.query\n", "", ["doc_to_decontamination_query", "!function"] },
        { "fewshot_config:\n  split: train\n", "", ["fewshot_config", "fewshot_split"] },
        { "generation_kwargs:\n  do_sample: true\n", "", ["task.yaml (line 12)", "generation_kwargs: applies to generate_until only"] },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void WhatForgetLabDoesNotReadIsRefusedNamingFileAndKey(string extra, string _, string[] fragments)
    {
        var yaml = Write(Task + extra, Rows);
        var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(yaml));
        foreach (var fragment in fragments) Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreFewshotExamplesThanTheSplitCanGiveAreRefused()
    {
        var yaml = Write(Task.Replace("num_fewshot: 1", "num_fewshot: 4", StringComparison.Ordinal), Rows);
        var error = Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(yaml));
        Assert.Contains("num_fewshot is 4, but the few-shot split has 3 documents, and lm-eval draws 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHubDatasetIdIsRefusedAtDatasetPath()
    {
        var yaml = Write(Task.Replace("dataset_path: json", "dataset_path: Rowan/hellaswag", StringComparison.Ordinal), Rows);
        var error = Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(yaml));
        Assert.Contains("task.yaml (line 2): dataset_path: 'Rowan/hellaswag' would be fetched from the Hugging Face Hub", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATemplateNamingAMissingFieldIsRefusedAtItsKeyAndDocument()
    {
        var yaml = Write(Task.Replace("{{question}}", "{{questoin}}", StringComparison.Ordinal), Rows);
        var error = Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(yaml));
        Assert.Contains("doc_to_text: document 0: the template: 'questoin' is undefined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJinjaConstructOutsideTheSubsetIsRefusedByName()
    {
        var yaml = Write(Task.Replace("\"{{question}}\"", "\"{% macro m() %}x{% endmacro %}\"", StringComparison.Ordinal), Rows);
        var error = Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(yaml));
        Assert.Contains("unsupported tag '{% macro %}'", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadData() => new()
    {
        { "test.jsonl", "{\"question\": \"a\", \"choices\": [\"x\", \"y\"], \"answer\": 0}\n{\"question\": \"b\", \"choices\": [\"x\", \"y\"], \"answer\": \n", "test.jsonl:2: not a JSON object" },
        { "test.jsonl", "{\"question\": \"a\", \"choices\": [\"x\", \"y\"], \"answer\": 0}\n{\"question\": 7, \"choices\": [\"x\", \"y\"], \"answer\": 1}\n", "test.jsonl:2: field 'question' is a number here but a string at" },
        { "test.jsonl", "[1, 2]\n", "test.jsonl (document 1): a document is a JSON object" },
        { "test.jsonl", "", "no documents" },
        { "test.jsonl", "{\"question\": \"a\", \"choices\": [\"x\", \"y\"], \"answer\": 0}\n\xff\n", "test.jsonl:2: not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void ABadDataFileIsRefusedNamingFileLineAndField(string file, string content, string expected)
    {
        var yaml = Write(Task, Rows);
        File.WriteAllBytes(Path.Combine(_dir, file), content.Select(c => (byte)c).ToArray());
        var error = Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(yaml));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACsvCellPandasWouldReadAsMissingIsRefusedAtItsLineAndColumn()
    {
        var yaml = Write(Task.Replace("dataset_path: json", "dataset_path: csv", StringComparison.Ordinal).Replace("test.jsonl", "test.csv", StringComparison.Ordinal)
            .Replace("doc_to_choice: choices", "doc_to_choice: [\"x\", \"y\"]", StringComparison.Ordinal), "");
        File.WriteAllText(Path.Combine(_dir, "test.csv"), "question,answer\n\"a, with comma\",0\nNA,1\n");
        var error = Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(yaml));
        Assert.Contains("test.csv:3: question: is 'NA' in column 1, which pandas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDataFileOrSplitIsRefusedAtItsKey()
    {
        var missingFile = Write(Task.Replace("test: test.jsonl", "test: nowhere.jsonl", StringComparison.Ordinal), Rows);
        Assert.Contains("dataset_kwargs.data_files: data file 'nowhere.jsonl' not found", Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(missingFile)).Message, StringComparison.Ordinal);
        var missingSplit = Write(Task.Replace("test_split: test", "test_split: dev", StringComparison.Ordinal), Rows);
        Assert.Contains("test_split: 'dev' is not a split of dataset_kwargs.data_files", Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(missingSplit)).Message, StringComparison.Ordinal);
    }

    /// <summary>Nine levels of ten aliases: 10⁹ nodes from a few hundred bytes when expanded.</summary>
    private static string AliasBomb(string key) =>
        $"{key}:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 8).Select(i =>
            $"  {(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]\n"));

    public static TheoryData<string, string[]> HostileTaskFiles() => new()
    {
        // Without BoundedYaml, YamlDotNet's tree builder recursed once per '[' and the stack overflow ended the process.
        { "deep", ["task.yaml (line 12): ", "lists and mappings nest deeper than the limit of 32 levels"] },
        // Without the node count, converting the aliases' tree to values ran for ever.
        { "aliases", ["task.yaml (line ", "more than the limit of 10000 values, lists and mappings (aliases count as what they repeat)"] },
        { "long", ["task.yaml (line 12): ", "a value of 9000 characters; the limit is 8192 per value"] },
        { "cycle", ["b.yaml (line 1): include: a cycle: task.yaml → a.yaml → b.yaml → task.yaml"] },
        { "self", ["task.yaml (line 12): include: a cycle: task.yaml → task.yaml"] },
        { "many", ["part15.yaml (line 1): include: 'part16.yaml' would be file 17 of this task; the limit is 16 files, the task itself and everything it includes"] },
        { "deep-include", ["part3.yaml (line 1): not a task file: lists and mappings nest deeper than the limit of 32 levels"] },
    };

    [Theory]
    [MemberData(nameof(HostileTaskFiles))]
    public void HostileYamlInATaskFileOrItsIncludesIsRefusedNamingTheFileAndTheLimit(string hostile, string[] expected)
    {
        string Part(int i, string body) { File.WriteAllText(Path.Combine(_dir, $"part{i}.yaml"), body); return $"part{i}.yaml"; }
        var extra = hostile switch
        {
            "deep" => "doc_to_decontamination_query: " + new string('[', 50_000) + "\n",
            "aliases" => AliasBomb("metadata"),
            "long" => "description: " + new string('x', 9000) + "\n",
            "cycle" => "include: a.yaml\n",
            "self" => "include: task.yaml\n",
            "many" => "include: " + Part(1, "") + "\n",
            _ => "include: " + Part(1, "include: " + Part(2, "include: " + Part(3, "x: " + new string('[', 50_000) + "\n") + "\n") + "\n") + "\n",
        };
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), "include: b.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "b.yaml"), "include: task.yaml\n");
        // A chain of 16 parts besides the task: part1 includes part2 … part15 includes part16.
        if (hostile == "many") for (var i = 1; i <= 16; i++) Part(i, i < 16 ? $"include: part{i + 1}.yaml\n" : "tag: last\n");
        var yaml = Write(Task + extra, Rows);

        var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(yaml));
        foreach (var fragment in expected) Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludesAreReadOnceEachUpToSixteenFilesAndMergeAsLmEvalMergesThem()
    {
        // Fifteen parts, each including the next two: 2^15 reads if each path were followed, 16 files read once each.
        for (var i = 1; i <= 15; i++)
        {
            var includes = string.Join(", ", new[] { i + 1, i + 2 }.Where(n => n <= 15).Select(n => $"part{n}.yaml"));
            File.WriteAllText(Path.Combine(_dir, $"part{i}.yaml"), (includes.Length > 0 ? $"include: [{includes}]\n" : "") + $"description: \"part {i}\"\n");
        }
        var yaml = Write(Task + "include: [part1.yaml, part2.yaml]\n", Rows);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var task = LmEvalTaskReader.Read(yaml);

        // The task's own keys win; among includes the first: part1's description.
        Assert.StartsWith("part 1", task.Docs[0].Context, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        File.WriteAllText(Path.Combine(_dir, "part15.yaml"), "include: part16.yaml\n");
        File.WriteAllText(Path.Combine(_dir, "part16.yaml"), "tag: one too many\n");
        Assert.Contains("the limit is 16 files", Assert.Throws<InvalidDataException>(() => LmEvalTaskReader.Read(yaml)).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> HostileSuiteHeaders() => new()
    {
        { "deep", "suite.yaml (line 1): lists and mappings nest deeper than the limit of 32 levels" },
        { "aliases", "more than the limit of 10000 values, lists and mappings (aliases count as what they repeat)" },
    };

    [Theory]
    [MemberData(nameof(HostileSuiteHeaders))]
    public void HostileYamlInAForgetLabSuiteHeaderIsRefusedNamingTheFileAndTheLimit(string hostile, string expected)
    {
        var path = Path.Combine(_dir, "suite.yaml");
        File.WriteAllText(path, hostile == "deep"
            ? "until: " + new string('[', 50_000) + "\n"
            : "task: s\ncategory: knowledge\noutput_type: generate_until\ndataset_path: s.jsonl\n" + AliasBomb("until"));
        File.WriteAllText(Path.Combine(_dir, "s.jsonl"), "{\"id\": \"1\", \"prompt\": \"a\", \"target\": \"b\"}\n");

        var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private const string Task = """
        task: tiny
        dataset_path: json
        dataset_kwargs:
          data_files:
            test: test.jsonl
        test_split: test
        output_type: multiple_choice
        doc_to_text: "{{question}}"
        doc_to_choice: choices
        doc_to_target: answer
        num_fewshot: 1

        """;

    private const string Rows = """
        {"question": "a?", "choices": ["x", "y"], "answer": 0}
        {"question": "b?", "choices": ["x", "y"], "answer": 1}
        {"question": "c?", "choices": ["x", "y"], "answer": 1}

        """;

    private string Write(string yaml, string rows)
    {
        var path = Path.Combine(_dir, "task.yaml");
        File.WriteAllText(path, yaml);
        if (rows.Length > 0) File.WriteAllText(Path.Combine(_dir, "test.jsonl"), rows);
        return path;
    }
}
