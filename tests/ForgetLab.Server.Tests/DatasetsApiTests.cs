using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ForgetLab.Server.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The data set registry over HTTP: a JSONL file or a zip of them is checked line by line as the lab checks a data file,
/// stored in Blob storage under the tenant with its SHA-256, listed, read and deleted; specs name it by data_ref, checked
/// against the tenant's registry at submission. A bad upload is a 400 naming file, line and field, and stores nothing.
/// </summary>
public sealed class DatasetsApiTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AJsonlFileIsCheckedHashedStoredUnderTheTenantListedShownAndDeleted()
    {
        var (tenant, key) = await platform.NewTenant("data");
        using var client = platform.Server.Client(key);
        var jsonl = Datasets.PromptCompletion(6);

        var (status, dataset) = await client.PostJsonl("tickets", "train.jsonl", jsonl).Json();
        var (againStatus, _) = await client.PostJsonl("tickets", "train.jsonl", jsonl).Json();
        var (otherStatus, conflict) = await client.PostJsonl("tickets", "train.jsonl", Datasets.PromptCompletion(7)).Json();
        var (listStatus, list) = await client.Get("api/v1/datasets").Json();
        var (getStatus, got) = await client.Get("api/v1/datasets/tickets").Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.Created, againStatus); // the same bytes again are harmless
        Assert.Equal(HttpStatusCode.Conflict, otherStatus);
        Assert.Contains("registered with other files", (string)conflict!["detail"]!);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (listStatus, getStatus));
        Assert.Equal(["tickets"], list!.AsArray().Select(d => (string)d!["name"]!));
        Assert.Equal(dataset!.ToJsonString(), got!.ToJsonString());
        var file = dataset["files"]!.AsArray().Single()!;
        Assert.Equal(("train.jsonl", "prompt_completion", 6), ((string)file["name"]!, (string)file["shape"]!, (int)file["examples"]!));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(jsonl))), (string)file["sha256"]!);
        Assert.Matches($"^checkpoints/{tenant}/datasets/tickets/[0-9a-f]{{16}}/$", (string)dataset["blobPrefix"]!);
        var store = platform.Server.Services.GetRequiredService<DatasetStore>();
        Assert.Single(await store.Blobs(tenant, Cancel));

        var (deleteStatus, _) = await client.Delete("api/v1/datasets/tickets").Json();
        var (goneStatus, _) = await client.Get("api/v1/datasets/tickets").Json();
        var (reuseStatus, reuse) = await client.PostJsonl("tickets", "train.jsonl", jsonl).Json();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (deleteStatus, goneStatus));
        Assert.Empty(await store.Blobs(tenant, Cancel));
        Assert.Equal(HttpStatusCode.Conflict, reuseStatus); // a deleted name never comes to mean other bytes
        Assert.Contains("names are never reused", (string)reuse!["detail"]!);
    }

    [Fact]
    public async Task AZipOfJsonlFilesInOneFolderIsOneDataSetOfSeveralFiles()
    {
        var (_, key) = await platform.NewTenant("zip");
        using var client = platform.Server.Client(key);
        var zip = Datasets.Zip(Datasets.Entry("mine/train.jsonl", Datasets.PromptCompletion(4)), Datasets.Entry("mine/general.jsonl", Datasets.Text(3)));

        var (status, dataset) = await client.PostZip("mixed", zip).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal([("general.jsonl", "text", 3), ("train.jsonl", "prompt_completion", 4)],
            dataset!["files"]!.AsArray().Select(f => ((string)f!["name"]!, (string)f["shape"]!, (int)f["examples"]!)));
    }

    public static TheoryData<string, string, string> BadUploads => new()
    {
        { "missing-field", "bad.jsonl.completion", "line 2: required field is missing" },
        { "not-json", "bad.jsonl", "line 1: not valid JSON" },
        { "wrong-type", "bad.jsonl.messages[0].content", "line 1: expected a string, found the number 3" },
        { "two-shapes", "bad.jsonl", "line 2: a text line in a file whose first example (line 1) is prompt_completion: one shape per file" },
        { "empty-set", "bad.jsonl", "no examples: the set is empty" },
        { "bad-utf8", "bad.jsonl", "line 1: not valid UTF-8 at byte" },
        { "bad-name", "file", "is not a data file name" },
        { "traversal", "(document)", "climbs out of the folder with '..'" },
        { "absolute", "(document)", "is an absolute path" },
        { "nested", "(document)", "is in a nested folder" },
        { "zip-in-zip", "(document)", "is a zip inside the zip" },
        { "not-jsonl", "(document)", "is not a data file" },
        { "bad-in-zip", "eval.jsonl", "line 1: expected a JSON object, found an array" },
        { "bomb", "big.jsonl", "times its" },
        { "suite-alone", "file", "is a suite header: upload it in a zip or a folder with the items files it names" },
        { "suite-no-items", "recall.yaml", "names the items file 'recall.jsonl', which the upload does not hold" },
        { "suite-no-task", "recall.yaml.task", "required field is missing" },
        { "suite-bad-yaml", "recall.yaml", "line 2: malformed YAML" },
        { "suite-bad-item", "recall.jsonl", "line 2: expected a JSON object, found an array" },
        { "suite-parquet", "mc.yaml.dataset_path", "a data set holds JSONL and CSV files: an lm-eval task in it reads them with dataset_path: json or csv" },
        { "csv-alone", "file", "is an lm-eval task's items: upload it in a zip or a folder with the header that names it" },
        { "csv-orphan", "notes.csv", "no suite header names this CSV file" },
        { "csv-missing", "mc.csv.right", "line 3: is 'NA' in column 2, which pandas (lm-eval's CSV reader) reads as missing" },
        { "csv-width", "mc.csv", "line 2: 3 fields, but the header has 4" },
        { "csv-quote", "mc.csv", "line 3: a quoted field is never closed" },
        { "csv-as-json", "mc.yaml.dataset_kwargs.data_files", "line 5: must name .jsonl files beside the header" },
        { "suite-folder", "recall.yaml.dataset_path", "must name .jsonl files beside the header in the data set" },
        { "suite-deep", "mc.yaml", "line 16: lists and mappings nest deeper than the limit of 32 levels" },
        { "suite-aliases", "mc.yaml", "more than the limit of 10000 values, lists and mappings (aliases count as what they repeat)" },
        { "include-cycle", "other.yaml.include", "line 16: a cycle: mc.yaml → other.yaml → mc.yaml" },
        { "include-many", "p15.yaml.include", "line 16: 'p16.yaml' would be file 17 of this task; the limit is 16 files" },
        { "include-missing", "mc.yaml.include", "line 16: names 'base.yaml', which the upload does not hold" },
        { "include-folder", "mc.yaml.include", "line 16: must name .yaml (or lm-eval's include-only _yaml) files beside the header in the data set" },
        { "include-orphan", "_default_template_yaml", "is an lm-eval include-only file (lm-eval reads a _yaml file only through another task's include:), and no header of the upload includes it" },
        { "suite-no-task-not-included", "base.yaml.task", "no other header of the upload includes this file, so it is no include-only file either" },
        { "tokenizer-not-json", "mytok.json", "not valid JSON (line 1, byte 11 of the line)" },
        { "tokenizer-not-bpe", "tokenizer.json.model.vocab", "expected an object, found a number" },
        { "tokenizer-config-alone", "tokenizer_config.json", "is a tokenizer's config, but the upload holds no tokenizer .json for it to go with" },
        { "tokenizer-config-token", "tokenizer_config.json.eos_token", "names a token that is not in tokenizer.json's vocabulary" },
        { "tokenizer-too-big", "tokenizer.json", "more than the 33554432 a tokenizer file may hold" },
        { "template-bad", "chat.jinja", "line 2: tag opened here is never closed with '}}'" },
        { "template-bad-alone", "chat.jinja", "line 1: unexpected '%}' in an expression" },
        { "template-not-utf8", "chat.jinja", "not valid UTF-8 at byte 3" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task ABadUploadIsA400NamingFileLineAndFieldAndNothingIsStored(string bad, string path, string message)
    {
        var (tenant, key) = await platform.NewTenant("baddata");
        using var client = platform.Server.Client(key);
        var good = Datasets.PromptCompletion(2);
        var sending = bad switch
        {
            "missing-field" => client.PostJsonl("bad", "bad.jsonl", """{"prompt": "a", "completion": "b"}""" + "\n" + """{"prompt": "a"}""" + "\n"),
            "not-json" => client.PostJsonl("bad", "bad.jsonl", "{prompt: 1\n"),
            "wrong-type" => client.PostJsonl("bad", "bad.jsonl", """{"messages": [{"role": "user", "content": 3}]}""" + "\n"),
            "two-shapes" => client.PostJsonl("bad", "bad.jsonl", """{"prompt": "a", "completion": "b"}""" + "\n" + """{"text": "c"}""" + "\n"),
            "empty-set" => client.PostJsonl("bad", "bad.jsonl", "\n\n"),
            "bad-utf8" => client.PostJsonl("bad", "bad.jsonl", [.. "{\"text\": \""u8, 0xff, 0xfe, .. "\"}\n"u8]),
            "bad-name" => client.PostJsonl("bad", "..%2Fescape.jsonl", good),
            "traversal" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("../escape.jsonl", good))),
            "absolute" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("/etc/escape.jsonl", good))),
            "nested" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("a/b/train.jsonl", good))),
            "zip-in-zip" => client.PostZip("bad", Datasets.Zip(("inner.zip", Datasets.Zip(Datasets.Entry("train.jsonl", good))))),
            "not-jsonl" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("train.jsonl", good), Datasets.Entry("notes.txt", "hello"))),
            "bad-in-zip" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("train.jsonl", good), Datasets.Entry("eval.jsonl", "[1, 2]\n"))),
            "suite-alone" => client.PostJsonl("bad", "recall.yaml", Datasets.SuiteHeader),
            "suite-no-items" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("recall.yaml", Datasets.SuiteHeader), Datasets.Entry("train.jsonl", good))),
            "suite-no-task" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("recall.yaml", Datasets.SuiteHeader.Replace("task: recall\n", "", StringComparison.Ordinal)), Datasets.Entry("recall.jsonl", Datasets.SuiteItems(2)))),
            "suite-bad-yaml" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("recall.yaml", "task: recall\n  category: [knowledge\n"), Datasets.Entry("recall.jsonl", Datasets.SuiteItems(2)))),
            "suite-bad-item" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("recall.yaml", Datasets.SuiteHeader), Datasets.Entry("recall.jsonl", Datasets.SuiteItems(1) + "[1]\n"))),
            "suite-parquet" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask.Replace("dataset_path: json", "dataset_path: parquet", StringComparison.Ordinal)), Datasets.Entry("mc.jsonl", Datasets.McItems(2)))),
            "csv-alone" => client.PostJsonl("bad", "mc.csv", Datasets.McCsvItems(2)),
            "csv-orphan" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("train.jsonl", good), Datasets.Entry("notes.csv", Datasets.McCsvItems(2)))),
            "csv-missing" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalCsvTask), Datasets.Entry("mc.csv", Datasets.McCsvItems(1) + "q,NA,lima,0\n"))),
            "csv-width" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalCsvTask), Datasets.Entry("mc.csv", "question,right,wrong,gold\nq,lima,0\n"))),
            "csv-quote" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalCsvTask), Datasets.Entry("mc.csv", Datasets.McCsvItems(1) + "\"q,lima,paris,0\n"))),
            "csv-as-json" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalCsvTask.Replace("dataset_path: csv", "dataset_path: json", StringComparison.Ordinal)), Datasets.Entry("mc.csv", Datasets.McCsvItems(2)))),
            "suite-folder" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("recall.yaml", Datasets.SuiteHeader.Replace("dataset_path: recall.jsonl", "dataset_path: ../recall.jsonl", StringComparison.Ordinal)), Datasets.Entry("recall.jsonl", Datasets.SuiteItems(2)))),
            "suite-deep" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask + "\ndescription: " + new string('[', 50_000)), Datasets.Entry("mc.jsonl", Datasets.McItems(2)))),
            "suite-aliases" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask + "\ntag:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 8).Select(i =>
                $"  {(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]\n"))), Datasets.Entry("mc.jsonl", Datasets.McItems(2)))),
            "include-cycle" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask + "\ninclude: other.yaml"),
                Datasets.Entry("other.yaml", Datasets.LmEvalTask.Replace("task: capital_mc", "task: other", StringComparison.Ordinal) + "\ninclude: mc.yaml"), Datasets.Entry("mc.jsonl", Datasets.McItems(2)))),
            "include-many" => client.PostZip("bad", Datasets.Zip([Datasets.Entry("mc.yaml", Datasets.LmEvalTask + "\ninclude: p1.yaml"), .. Enumerable.Range(1, 16).Select(i =>
                Datasets.Entry($"p{i}.yaml", Datasets.LmEvalTask.Replace("task: capital_mc", $"task: p{i}", StringComparison.Ordinal) + (i < 16 ? $"\ninclude: p{i + 1}.yaml" : ""))), Datasets.Entry("mc.jsonl", Datasets.McItems(2))])),
            "include-missing" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask + "\ninclude: base.yaml"), Datasets.Entry("mc.jsonl", Datasets.McItems(2)))),
            "include-folder" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask + "\ninclude: ../base.yaml"), Datasets.Entry("mc.jsonl", Datasets.McItems(2)))),
            "include-orphan" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask), Datasets.Entry("mc.jsonl", Datasets.McItems(2)),
                Datasets.Entry("_default_template_yaml", Datasets.LmEvalTask.Replace("task: capital_mc\n", "", StringComparison.Ordinal)))),
            "suite-no-task-not-included" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalTask), Datasets.Entry("mc.jsonl", Datasets.McItems(2)),
                Datasets.Entry("base.yaml", Datasets.LmEvalTask.Replace("task: capital_mc\n", "", StringComparison.Ordinal)))),
            "tokenizer-not-json" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("train.jsonl", good), Datasets.Entry("mytok.json", "{\"model\": "))),
            "tokenizer-not-bpe" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("train.jsonl", good), Datasets.Entry("tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": 3, \"merges\": []}}"))),
            "tokenizer-config-alone" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("train.jsonl", good), Datasets.Entry("tokenizer_config.json", Datasets.TokenizerConfig))),
            "tokenizer-config-token" => client.PostZip("bad", Datasets.Zip(("tokenizer.json", Datasets.Tokenizer), Datasets.Entry("tokenizer_config.json", "{\"eos_token\": \"</s>\"}"))),
            "tokenizer-too-big" => client.PostJsonl("bad", "tokenizer.json", new byte[(32 << 20) + 1]),
            "template-bad" => client.PostZip("bad", Datasets.Zip(Datasets.Entry("train.jsonl", good), Datasets.Entry("chat.jinja", "{%- for m in messages %}\n{{ m.content }"))),
            "template-bad-alone" => client.PostJsonl("bad", "chat.jinja", "{% if %}"),
            "template-not-utf8" => client.PostJsonl("bad", "chat.jinja", [.. "{{ "u8, 0xff, .. " }}"u8]),
            // 16 lines of 1 MiB of one letter deflate about 1,000x: refused on the bytes decompressed, long before the file's size limit.
            _ => client.PostZip("bad", Datasets.Zip(System.IO.Compression.CompressionLevel.SmallestSize, ("big.jsonl", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"text\": \"" + new string('a', 1 << 20) + "\"}\n", 16)))))),
        };

        var (status, problem) = await sending.Json();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var messages = problem!["errors"]![path]!.AsArray().Select(m => (string)m!).ToList();
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
        Assert.Empty((await client.Get("api/v1/datasets").Json()).Body!.AsArray());
        Assert.Empty(await platform.Server.Services.GetRequiredService<DatasetStore>().Blobs(tenant, Cancel));
    }

    [Fact]
    public async Task SuiteHeadersAndTheirItemsAreOneDataSetThatSpecsNameUnderSuites()
    {
        var (_, key) = await platform.NewTenant("benchmarks");
        using var client = platform.Server.Client(key);
        var zip = Datasets.Zip(
            Datasets.Entry("bench/recall.yaml", Datasets.SuiteHeader), Datasets.Entry("bench/recall.jsonl", Datasets.SuiteItems(3)),
            Datasets.Entry("bench/mc.yaml", Datasets.LmEvalTask), Datasets.Entry("bench/mc.jsonl", Datasets.McItems(4)),
            Datasets.Entry("bench/train.jsonl", Datasets.PromptCompletion(6)));

        var (status, dataset) = await client.PostZip("bench", zip).Json();
        var (okStatus, _) = await client.SubmitYaml(Datasets.SpecOn("on-bench", "{ data_ref: bench, file: train.jsonl }")
            .Replace("suites: [target, capitals_recall]", "suites: [target, { data_ref: bench, file: recall.yaml }, { data_ref: bench, file: mc.yaml }]", StringComparison.Ordinal)).Json();
        var (whichStatus, which) = await client.SubmitYaml(Datasets.SpecOn("on-which", "{ data_ref: bench, file: train.jsonl }")
            .Replace("suites: [target, capitals_recall]", "suites: [target, { data_ref: bench }]", StringComparison.Ordinal)).Json();
        var (itemsStatus, items) = await client.SubmitYaml(Datasets.SpecOn("on-items", "{ data_ref: bench, file: recall.jsonl }")).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal([("mc.jsonl", "suite_items", 4), ("mc.yaml", "suite_header", 1), ("recall.jsonl", "suite_items", 3), ("recall.yaml", "suite_header", 1), ("train.jsonl", "prompt_completion", 6)],
            dataset!["files"]!.AsArray().Select(f => ((string)f!["name"]!, (string)f["shape"]!, (int)f["examples"]!)));
        Assert.Equal(HttpStatusCode.Created, okStatus);
        Assert.Equal(HttpStatusCode.BadRequest, whichStatus);
        Assert.Contains("data set 'bench' holds 2 suite headers (mc.yaml, recall.yaml): name one with 'file'", (string)which!["errors"]!["suites[1].data_ref"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, itemsStatus);
        Assert.Contains("recall.jsonl of data set 'bench' holds a suite's items (a suite header names it), not fine-tuning examples", (string)items!["errors"]!["target.data.data_ref"]![0]!);
        var experiments = (await client.Get("api/v1/experiments").Json()).Body!.AsArray();
        Assert.Equal(["on-bench"], experiments.Select(e => (string)e!["experimentId"]!));
    }

    [Fact]
    public async Task AnLmEvalTasksIncludeIsMergedAsTheLabMergesItSoItsDataFilesMustBeHeld()
    {
        var (_, key) = await platform.NewTenant("includes");
        using var client = platform.Server.Client(key);
        // The task's own keys win over its include's: mc2 reads its data files from base.yaml.
        var mc2 = "include: base.yaml\ntask: capital_mc2\n";
        var (status, dataset) = await client.PostZip("inc", Datasets.Zip(Datasets.Entry("mc2.yaml", mc2), Datasets.Entry("base.yaml", Datasets.LmEvalTask), Datasets.Entry("mc.jsonl", Datasets.McItems(3)))).Json();
        var (missingStatus, missing) = await client.PostZip("inc2", Datasets.Zip(Datasets.Entry("mc2.yaml", mc2),
            Datasets.Entry("base.yaml", Datasets.LmEvalTask.Replace("test: mc.jsonl", "test: other.jsonl", StringComparison.Ordinal)), Datasets.Entry("mc.jsonl", Datasets.McItems(3)))).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal([("base.yaml", "suite_header"), ("mc.jsonl", "suite_items"), ("mc2.yaml", "suite_header")],
            dataset!["files"]!.AsArray().Select(f => ((string)f!["name"]!, (string)f["shape"]!)));
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains("names the items file 'other.jsonl', which the upload does not hold", (string)missing!["errors"]!["mc2.yaml"]![0]!);
    }

    [Fact]
    public async Task AnIncludeOnlyYamlWithoutATaskIsHeldWhenAnotherHeaderIncludesItItsKeysUnderTheIncludersAndSpecsCannotNameItAsASuite()
    {
        var (_, key) = await platform.NewTenant("fragments");
        using var client = platform.Server.Client(key);
        // lm-eval's MMLU layout: every key but the task in _default_template_yaml, here naming a data file that the
        // upload does not hold; mc.yaml's own dataset_kwargs win over it (lm-eval: the including file's keys override).
        var template = Datasets.LmEvalTask.Replace("task: capital_mc\n", "", StringComparison.Ordinal).Replace("test: mc.jsonl", "test: other.jsonl", StringComparison.Ordinal);
        var mc = "include: _default_template_yaml\ntask: capital_mc\ndataset_kwargs:\n  data_files:\n    test: mc.jsonl\n";
        var baseYaml = Datasets.LmEvalTask.Replace("task: capital_mc\n", "", StringComparison.Ordinal); // a .yaml fragment: no task of its own
        var zip = Datasets.Zip(Datasets.Entry("_default_template_yaml", template), Datasets.Entry("mc.yaml", mc),
            Datasets.Entry("base.yaml", baseYaml), Datasets.Entry("mc2.yaml", "include: base.yaml\ntask: capital_mc2\n"), Datasets.Entry("mc.jsonl", Datasets.McItems(3)));
        // Without the override the template's data file is the task's, and the upload does not hold it.
        var notOverridden = Datasets.Zip(Datasets.Entry("_default_template_yaml", template), Datasets.Entry("mc3.yaml", "include: _default_template_yaml\ntask: capital_mc3\n"),
            Datasets.Entry("mc.jsonl", Datasets.McItems(3)));

        var (status, dataset) = await client.PostZip("frag", zip).Json();
        var (missingStatus, missing) = await client.PostZip("frag2", notOverridden).Json();
        var (okStatus, ok) = await client.SubmitYaml(Specs.Valid("on-frag")
            .Replace("suites: [target, capitals_recall]", "suites: [target, { data_ref: frag, file: mc.yaml }, { data_ref: frag, file: mc2.yaml }]", StringComparison.Ordinal)).Json();
        var (fragmentStatus, fragment) = await client.SubmitYaml(Specs.Valid("on-base")
            .Replace("suites: [target, capitals_recall]", "suites: [target, { data_ref: frag, file: base.yaml }]", StringComparison.Ordinal)).Json();
        var (templateStatus, templateError) = await client.SubmitYaml(Specs.Valid("on-template")
            .Replace("suites: [target, capitals_recall]", "suites: [target, { data_ref: frag, file: _default_template_yaml }]", StringComparison.Ordinal)).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal([("_default_template_yaml", "suite_include"), ("base.yaml", "suite_include"), ("mc.jsonl", "suite_items"), ("mc.yaml", "suite_header"), ("mc2.yaml", "suite_header")],
            dataset!["files"]!.AsArray().Select(f => ((string)f!["name"]!, (string)f["shape"]!)));
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains("names the items file 'other.jsonl', which the upload does not hold", (string)missing!["errors"]!["mc3.yaml"]![0]!);
        Assert.True(okStatus == HttpStatusCode.Created, ok?.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, fragmentStatus);
        Assert.Contains("base.yaml of data set 'frag' is an include-only file of an lm-eval task (it has no task: of its own): name the task that includes it",
            (string)fragment!["errors"]!["suites[1].data_ref"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, templateStatus);
        Assert.Contains("must be the plain name of one of the data set's suite headers: a .yaml file", (string)templateError!["errors"]!["suites[1].file"]![0]!);
    }

    /// <summary><see cref="Specs.Valid"/> pre-trained with a data set's tokenizer and fine-tuned on its messages, rendered with its template.</summary>
    private static string TokenizerSpec(string name, string tokenizer, string template) => Specs.Valid(name)
        .Replace("  world: builtin\n", $"  world: builtin\n  tokenizer: {{ kind: file, path: {tokenizer} }}\n", StringComparison.Ordinal)
        .Replace("  task: conflicting_facts\n  count: 10\n", $"  data: {{ data_ref: chatdata }}\n  eval_split: 2\n  chat_template: {template}\n", StringComparison.Ordinal);

    [Fact]
    public async Task ATokenizerWithItsConfigAndAChatTemplateAreADataSetThatSpecsNameAtTheTokenizerAndTemplateFields()
    {
        var (_, key) = await platform.NewTenant("tokenizers");
        using var client = platform.Server.Client(key);
        var zip = Datasets.Zip(("tokenizer.json", Datasets.Tokenizer), Datasets.Entry("tokenizer_config.json", Datasets.TokenizerConfig), Datasets.Entry("chat.jinja", Datasets.ChatTemplate));

        var (status, dataset) = await client.PostZip("tok", zip).Json();
        var (aloneStatus, alone) = await client.PostJsonl("tpl", "chat.jinja", Datasets.ChatTemplate).Json();
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonl("chatdata", "chat.jsonl", Datasets.Messages(6))).StatusCode);
        var (okStatus, ok) = await client.SubmitYaml(TokenizerSpec("on-tok", "{ data_ref: tok }", "{ data_ref: tpl, file: chat.jinja }")).Json();
        var (configStatus, config) = await client.SubmitYaml(TokenizerSpec("on-config", "{ data_ref: tok, file: tokenizer_config.json }", "{ data_ref: tok }")).Json();
        var (noneStatus, none) = await client.SubmitYaml(TokenizerSpec("on-none", "{ data_ref: chatdata }", "{ data_ref: chatdata }")).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal([("chat.jinja", "chat_template"), ("tokenizer.json", "tokenizer"), ("tokenizer_config.json", "tokenizer_config")],
            dataset!["files"]!.AsArray().Select(f => ((string)f!["name"]!, (string)f["shape"]!)));
        Assert.Equal(HttpStatusCode.Created, aloneStatus);
        Assert.Equal("chat_template", (string)alone!["files"]![0]!["shape"]!);
        Assert.True(okStatus == HttpStatusCode.Created, ok?.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, configStatus);
        Assert.Contains("must be the plain name of one of the data set's tokenizer files: a .json file other than tokenizer_config.json", (string)config!["errors"]!["base.tokenizer.path.file"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, noneStatus);
        Assert.Contains("data set 'chatdata' holds no tokenizer file (.json)", (string)none!["errors"]!["base.tokenizer.path.data_ref"]![0]!);
        Assert.Contains("data set 'chatdata' holds no chat template (.jinja)", (string)none!["errors"]!["target.chat_template.data_ref"]![0]!);
    }

    [Fact]
    public async Task AnLmEvalTaskReadingCsvIsADataSetWhoseRowsAreCountedAsPandasReadsThemAndSpecsNameItUnderSuites()
    {
        var (_, key) = await platform.NewTenant("csvbench");
        using var client = platform.Server.Client(key);
        // Four rows, one of them quoted with commas and a line break inside, CRLF line ends and a blank row.
        var csv = "question,right,wrong,gold\r\nthe capital of peru is,lima,paris,0\r\n\"the capital of\r\nfrance, in europe, is\",paris,lima,0\r\n\r\n"
            + "the capital of chile is,santiago,lima, 0 \r\nthe capital of spain is,madrid,rome,0";
        var zip = Datasets.Zip(Datasets.Entry("mc.yaml", Datasets.LmEvalCsvTask), Datasets.Entry("mc.csv", csv), Datasets.Entry("train.jsonl", Datasets.PromptCompletion(6)));

        var (status, dataset) = await client.PostZip("csvbench", zip).Json();
        var (okStatus, _) = await client.SubmitYaml(Datasets.SpecOn("on-csv", "{ data_ref: csvbench }")
            .Replace("suites: [target, capitals_recall]", "suites: [target, { data_ref: csvbench }]", StringComparison.Ordinal)).Json();
        var (itemsStatus, items) = await client.SubmitYaml(Datasets.SpecOn("on-csv-items", "{ data_ref: csvbench, file: mc.csv }")).Json();

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal([("mc.csv", "suite_items", 4), ("mc.yaml", "suite_header", 1), ("train.jsonl", "prompt_completion", 6)],
            dataset!["files"]!.AsArray().Select(f => ((string)f!["name"]!, (string)f["shape"]!, (int)f["examples"]!)));
        Assert.Equal(HttpStatusCode.Created, okStatus);
        Assert.Equal(HttpStatusCode.BadRequest, itemsStatus);
        Assert.Contains("must be the plain name of one of the data set's .jsonl files", (string)items!["errors"]!["target.data.file"]![0]!);
    }

    [Fact]
    public async Task ASpecNamingADataSetIsCheckedAgainstTheTenantsRegistryAtSubmission()
    {
        var (_, key) = await platform.NewTenant("refs");
        using var client = platform.Server.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await client.PostZip("mine",
            Datasets.Zip(Datasets.Entry("train.jsonl", Datasets.PromptCompletion(6)), Datasets.Entry("general.jsonl", Datasets.Text(3))))).StatusCode);

        var (okStatus, ok) = await client.SubmitYaml(Datasets.SpecOn("on-mine", "{ data_ref: mine, file: train.jsonl }")).Json();
        var (missingStatus, missing) = await client.SubmitYaml(Datasets.SpecOn("on-nothing", "{ data_ref: nothing }")).Json();
        var (whichStatus, which) = await client.SubmitYaml(Datasets.SpecOn("on-which", "{ data_ref: mine }")).Json();
        var (noFileStatus, noFile) = await client.SubmitYaml(Datasets.SpecOn("on-nofile", "{ data_ref: mine, file: other.jsonl }")).Json();
        var (corpusStatus, corpus) = await client.SubmitYaml(Datasets.SpecOn("on-corpus", "{ data_ref: mine, file: train.jsonl }")
            .Replace("  schedule: cosine\n", "  schedule: cosine\n  replay: { ratio: 0.25, corpus: { data_ref: mine, file: train.jsonl } }\n", StringComparison.Ordinal)).Json();

        Assert.Equal(HttpStatusCode.Created, okStatus);
        Assert.Equal(2, ok!["runIds"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Contains("no data set 'nothing' in this tenant's registry", (string)missing!["errors"]!["target.data.data_ref"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, whichStatus);
        Assert.Contains("holds 2 files (general.jsonl, train.jsonl): name one with 'file'", (string)which!["errors"]!["target.data.data_ref"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, noFileStatus);
        Assert.Contains("has no file 'other.jsonl'", (string)noFile!["errors"]!["target.data.data_ref"]![0]!);
        Assert.Equal(HttpStatusCode.BadRequest, corpusStatus);
        Assert.Contains("a corpus holds {\"text\"} lines", (string)corpus!["errors"]!["train.replay.corpus.data_ref"]![0]!);
        var experiments = (await client.Get("api/v1/experiments").Json()).Body!.AsArray();
        Assert.Equal(["on-mine"], experiments.Select(e => (string)e!["experimentId"]!));
    }
}
