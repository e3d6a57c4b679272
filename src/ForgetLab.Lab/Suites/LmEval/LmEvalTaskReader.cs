using System.Globalization;
using ForgetLab.Core.Python;
using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// Reads an lm-evaluation-harness task YAML as lm-eval 0.4.10 reads it (lm_eval/api/task.py
/// <c>ConfigurableTask</c>, lm_eval/config/task.py <c>TaskConfig</c>) and builds every request: the documents of
/// <c>test_split</c> (else <c>validation_split</c>) from <c>dataset_path: json | csv</c> with
/// <c>dataset_kwargs.data_files</c> (relative to the YAML), <c>doc_to_text</c> / <c>doc_to_target</c> /
/// <c>doc_to_choice</c> as field names, Jinja templates, integers or lists, <c>description</c>, the delimiters, and
/// <c>num_fewshot</c> examples drawn by lm-eval's sampler with <c>random.Random(1234)</c>. Whatever lm-eval would
/// run as Python or fetch from the Hugging Face Hub (<c>!function</c>, <c>process_docs</c>, dataset ids), and any key
/// this reader does not know, is refused with an <see cref="InvalidDataException"/> naming the file and the key.
/// </summary>
public static class LmEvalTaskReader
{
    /// <summary>lm-eval's default <c>--fewshot_random_seed</c>.</summary>
    public const long DefaultFewshotSeed = 1234;

    private static readonly HashSet<string> Supported =
    [
        "task", "task_alias", "tag", "dataset_path", "dataset_name", "dataset_kwargs", "training_split", "validation_split",
        "test_split", "fewshot_split", "doc_to_text", "doc_to_target", "doc_to_choice", "description", "target_delimiter",
        "fewshot_delimiter", "fewshot_config", "num_fewshot", "output_type", "generation_kwargs", "metric_list",
        "filter_list", "repeats", "metadata", "should_decontaminate", "doc_to_decontamination_query",
    ];

    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["process_docs"] = "runs Python over the documents; preprocess the data file instead",
        ["process_results"] = "runs Python to score; use metric_list",
        ["custom_dataset"] = "runs Python to build the data set",
        ["use_prompt"] = "takes a promptsource template from the Hub",
        ["doc_to_image"] = "multimodal tasks are not evaluated",
        ["doc_to_audio"] = "multimodal tasks are not evaluated",
        ["gen_prefix"] = "is not supported yet",
        ["unsafe_code"] = "runs generated code",
        ["class"] = "names a Python task class",
        ["group"] = "a group of tasks: list each task file in the spec's suites instead",
    };

    /// <summary>Keys only lm-eval's task format has: a YAML with one of them and no <c>category</c> is an lm-eval task.</summary>
    internal static readonly HashSet<string> Markers =
    [
        "doc_to_text", "doc_to_target", "doc_to_choice", "dataset_kwargs", "test_split", "validation_split", "training_split",
        "fewshot_split", "metric_list", "num_fewshot", "target_delimiter", "fewshot_delimiter", "generation_kwargs",
        "filter_list", "include", "metadata", "process_docs",
    ];

    /// <param name="yamlPath">The task's YAML file.</param>
    /// <param name="confinedTo">On the platform, the operator's spec directory: data and included files must be inside it too.</param>
    /// <param name="fewshotSeed">lm-eval's <c>--fewshot_random_seed</c>.</param>
    public static LmEvalTask Read(string yamlPath, string? confinedTo = null, long fewshotSeed = DefaultFewshotSeed)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(yamlPath))!;
        var files = confinedTo is null ? SpecFiles.Local(folder) : SpecFiles.ConfinedTo(confinedTo);
        string Resolve(string typed, string relativeTo, string what, string where)
        {
            var (full, refused) = files.File(typed, relativeTo, what);
            return full ?? throw new InvalidDataException($"{where}: {refused}.");
        }

        var raw = LmEvalYaml.Load(yamlPath, (name, dir) => Resolve(name, dir, "included file", $"{yamlPath}: include"));
        var config = new Config(raw, yamlPath);
        foreach (var (key, (_, file, line)) in raw)
        {
            if (Refused.TryGetValue(key, out var why)) throw new InvalidDataException($"{file} (line {line}): {key}: refused — it {why}.");
            if (!Supported.Contains(key)) throw new InvalidDataException($"{file} (line {line}): {key}: not a task key ForgetLab reads (lm-eval 0.4.10's TaskConfig, less what runs Python).");
        }

        var name = config.String("task") ?? throw config.Error("task", "is missing");
        var outputType = config.String("output_type") ?? SuiteKinds.GenerateUntil;
        if (outputType is not (SuiteKinds.MultipleChoice or SuiteKinds.GenerateUntil or SuiteKinds.LoglikelihoodRolling or LmEvalTask.Loglikelihood))
            throw config.Error("output_type", "is not one of multiple_choice, loglikelihood, loglikelihood_rolling, generate_until");

        // The data: json | csv files, split by data_files (a file or list is the single split "train", as datasets names it).
        var format = config.String("dataset_path") ?? throw config.Error("dataset_path", "is missing");
        if (format is not ("json" or "csv"))
            throw config.Error("dataset_path", $"'{format}' would be fetched from the Hugging Face Hub; ForgetLab reads local files: dataset_path: json or csv with dataset_kwargs.data_files");
        if (config.Value("dataset_name") is not null) throw config.Error("dataset_name", "names a configuration of a Hub data set; leave it out (or null) for json/csv files");
        var splitFiles = DataFiles(config, (typed, line) => Resolve(typed, config.FolderOf("dataset_kwargs"), "data file", $"{config.FileOf("dataset_kwargs")} (line {line}): dataset_kwargs.data_files"));
        var splits = new Dictionary<string, LmEvalSplit>(StringComparer.Ordinal);
        LmEvalSplit Split(string key)
        {
            var split = config.String(key)!;
            if (!splitFiles.TryGetValue(split, out var paths))
                throw config.Error(key, $"'{split}' is not a split of dataset_kwargs.data_files (it has {string.Join(", ", splitFiles.Keys)})");
            if (!splits.TryGetValue(split, out var loaded)) splits[split] = loaded = LmEvalDataFiles.Load(format, paths);
            return loaded;
        }

        var testSplit = config.String("test_split");
        var validationSplit = config.String("validation_split");
        var trainingSplit = config.String("training_split");
        var evalKey = testSplit is not null ? "test_split" : validationSplit is not null ? "validation_split" : throw config.Error("test_split", "is missing, and so is validation_split: lm-eval needs one of them to evaluate");
        var eval = Split(evalKey);

        // fewshot_config overrides the task's fields for the examples only (FewshotConfig.from_dict).
        var fewshotConfig = config.Dict("fewshot_config") ?? [];
        foreach (var key in fewshotConfig.Keys)
            if (key is not ("sampler" or "doc_to_text" or "doc_to_target" or "doc_to_choice" or "fewshot_delimiter" or "target_delimiter"))
                throw config.Error("fewshot_config", key == "split"
                    ? "split is overridden by fewshot_split in lm-eval 0.4.10 (FewshotConfig.from_dict), so it has no effect; use fewshot_split"
                    : $"{key} is not read (ForgetLab reads sampler, doc_to_text, doc_to_target, doc_to_choice, fewshot_delimiter, target_delimiter)");
        var sampler = fewshotConfig.TryGetValue("sampler", out var s) ? s as string ?? throw config.Error("fewshot_config", "sampler must be a name") : "default";
        if (sampler is not ("default" or "first_n")) throw config.Error("fewshot_config", $"sampler '{sampler}' is not lm-eval's default or first_n");

        var numFewshot = config.Int("num_fewshot") ?? 0;
        if (numFewshot < 0) throw config.Error("num_fewshot", "must be 0 or more");
        var fewshotSplit = config.String("fewshot_split");
        var fewshotDocs = numFewshot == 0 ? null
            : fewshotSplit is not null ? Split("fewshot_split")
            : trainingSplit is not null ? Split("training_split")
            : validationSplit is not null ? Split("validation_split")
            : Split("test_split");

        var targetDelimiter = config.String("target_delimiter") ?? " ";
        var fewshotDelimiter = config.String("fewshot_delimiter") ?? "\n\n";
        var prompts = new LmEvalPrompts(config, eval.Columns, fewshotConfig, targetDelimiter, fewshotDelimiter);

        var (until, maxGenToks) = Generation(config, outputType, fewshotDelimiter);
        var metrics = MetricList(config, outputType);
        var filters = FilterList(config, outputType);
        if ((config.Int("repeats") ?? 1) != 1) throw config.Error("repeats", "must be 1 (ForgetLab decodes greedily, once)");

        var fewshotSampler = fewshotDocs is null ? null : new FewshotSampler(fewshotDocs.Docs, sampler, fewshotSeed);
        var docs = new List<LmEvalDoc>();
        bool? multipleTarget = null;
        for (var i = 0; i < eval.Docs.Count; i++)
        {
            var doc = eval.Docs[i];
            var evalDoc = fewshotSplit == testSplit ? doc : null;
            var shots = fewshotSampler?.Sample(numFewshot, evalDoc) ?? [];
            var context = prompts.Context(doc, i, shots.Select(p => fewshotDocs!.Docs[p]).ToList());
            var target = prompts.DocToTarget(doc, i);
            // lm-eval decides from the first document whether targets are lists (ConfigurableTask.__init__).
            multipleTarget ??= target is List<object?>;
            if ((target is List<object?>) != multipleTarget)
                throw prompts.DocError("doc_to_target", i, $"gives {LmEvalValues.TypeName(target)} here but {(multipleTarget.Value ? "a list" : "no list")} for the first document");
            docs.Add(outputType switch
            {
                SuiteKinds.MultipleChoice => MultipleChoiceDoc(prompts, doc, i, context, target, shots, targetDelimiter, multipleTarget.Value),
                SuiteKinds.GenerateUntil => GenerationDoc(prompts, doc, i, context, target, shots, multipleTarget.Value),
                _ => TargetDoc(prompts, i, context, target, shots),
            });
        }

        var version = config.Dict("metadata") is { } metadata && metadata.TryGetValue("version", out var v) && v is not null ? PythonValues.Str(v) : "0";
        var category = config.Dict("metadata") is { } meta && meta.TryGetValue("category", out var c) ? c as string ?? throw config.Error("metadata", "category must be a name") : SuiteCategories.Unrelated;
        if (!SuiteCategories.All.Contains(category)) throw config.Error("metadata", $"category '{category}' is not one of {string.Join(", ", SuiteCategories.All)}");
        return new LmEvalTask(name, version, outputType, category, targetDelimiter, until, maxGenToks, metrics, filters, docs);
    }

    private static LmEvalDoc MultipleChoiceDoc(LmEvalPrompts prompts, OrderedDictionary<string, object?> doc, int i, string context, object? target, IReadOnlyList<int> shots, string delimiter, bool multiple)
    {
        var choices = prompts.DocToChoice(doc, i) ?? throw prompts.DocError("doc_to_choice", i, "is missing: a multiple_choice task needs its choices");
        int GoldOf(object? g) => g switch
        {
            long n => n < choices.Count ? (int)n : -100,
            string text => choices.IndexOf(text) is var at and >= 0 ? at : -100,
            _ => throw prompts.DocError("doc_to_target", i, $"gives {LmEvalValues.TypeName(g)}, not a choice index or a choice's text"),
        };
        var gold = multiple ? ((List<object?>)target!).Select(GoldOf).ToList() : [GoldOf(target)];
        return new LmEvalDoc(i.ToString(CultureInfo.InvariantCulture), context, choices.Select(c => delimiter + c).ToList(), choices, gold, [], multiple, shots);
    }

    private static LmEvalDoc GenerationDoc(LmEvalPrompts prompts, OrderedDictionary<string, object?> doc, int i, string context, object? target, IReadOnlyList<int> shots, bool multiple)
    {
        // process_results: with doc_to_choice the target indexes the choices; a list is several references; else str().
        List<string> references;
        if (prompts.DocToChoice(doc, i) is { } choices)
        {
            references = target is long n && n >= -choices.Count && n < choices.Count ? [choices[(int)(n < 0 ? n + choices.Count : n)]]
                : throw prompts.DocError("doc_to_target", i, "must index doc_to_choice when both are set");
        }
        else if (multiple)
        {
            references = ((List<object?>)target!).Select(PythonValues.Str).ToList();
        }
        else
        {
            references = [PythonValues.Str(target)];
        }
        return new LmEvalDoc(i.ToString(CultureInfo.InvariantCulture), context, [], [], [], references, multiple, shots);
    }

    private static LmEvalDoc TargetDoc(LmEvalPrompts prompts, int i, string context, object? target, IReadOnlyList<int> shots) =>
        target is string text
            ? new LmEvalDoc(i.ToString(CultureInfo.InvariantCulture), context, [text], [], [], [], false, shots)
            : throw prompts.DocError("doc_to_target", i, $"gives {LmEvalValues.TypeName(target)}; loglikelihood and loglikelihood_rolling score a text");

    private static Dictionary<string, IReadOnlyList<string>> DataFiles(Config config, Func<string, int, string> resolve)
    {
        var kwargs = config.Dict("dataset_kwargs") ?? throw config.Error("dataset_kwargs", "is missing: name the files with dataset_kwargs.data_files");
        foreach (var key in kwargs.Keys)
            if (key != "data_files") throw config.Error("dataset_kwargs", $"{key} is not read (only data_files)");
        var line = config.LineOf("dataset_kwargs");
        IReadOnlyList<string> Paths(object? value) => value switch
        {
            string one => [resolve(one, line)],
            List<object?> many when many.Count > 0 && many.All(x => x is string) => many.Select(x => resolve((string)x!, line)).ToList(),
            _ => throw config.Error("dataset_kwargs", "data_files: expected a path, a list of paths, or a mapping of split names to them"),
        };
        return kwargs.TryGetValue("data_files", out var files) switch
        {
            false => throw config.Error("dataset_kwargs", "data_files is missing"),
            true when files is OrderedDictionary<string, object?> bySplit => bySplit.ToDictionary(kv => kv.Key, kv => Paths(kv.Value), StringComparer.Ordinal),
            true => new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["train"] = Paths(files) },
        };
    }

    private static (IReadOnlyList<string> Until, int MaxGenToks) Generation(Config config, string outputType, string fewshotDelimiter)
    {
        var kwargs = config.Dict("generation_kwargs");
        if (kwargs is null) return ([fewshotDelimiter], 256); // lm_eval.defaults.default_gen_kwargs
        if (outputType != SuiteKinds.GenerateUntil) throw config.Error("generation_kwargs", "applies to generate_until only");
        var until = kwargs.TryGetValue("until", out var u) switch
        {
            false => [fewshotDelimiter],
            true when u is string one => [one],
            true when u is List<object?> many && many.All(x => x is string) => many.Cast<string>().ToList(),
            _ => throw config.Error("generation_kwargs", "until: expected a string or a list of strings"),
        };
        var maxGenToks = 256;
        foreach (var (key, value) in kwargs)
        {
            switch (key)
            {
                case "until":
                    break;
                case "do_sample" when value is false:
                    break;
                case "temperature" when value is 0L or 0.0:
                    break;
                case "max_gen_toks" when value is long n && n is > 0 and <= 100_000:
                    maxGenToks = (int)n;
                    break;
                case "do_sample" or "temperature":
                    throw config.Error("generation_kwargs", $"{key}: ForgetLab decodes greedily (do_sample: false, temperature: 0)");
                default:
                    throw config.Error("generation_kwargs", $"{key} is not read (until, do_sample: false, temperature: 0, max_gen_toks)");
            }
        }
        return (until, maxGenToks);
    }

    private static List<LmEvalMetric> MetricList(Config config, string outputType)
    {
        var allowed = outputType switch
        {
            SuiteKinds.MultipleChoice => new[] { "acc", "acc_norm", "acc_bytes", "exact_match" },
            SuiteKinds.GenerateUntil => ["exact_match"],
            LmEvalTask.Loglikelihood => ["perplexity", "acc"],
            _ => ["word_perplexity", "byte_perplexity", "bits_per_byte"],
        };
        // DEFAULT_METRIC_REGISTRY when metric_list is absent.
        if (config.Value("metric_list") is null)
            return [.. allowed.Take(outputType == SuiteKinds.MultipleChoice ? 2 : allowed.Length).Select(m => new LmEvalMetric(m, HigherIsBetter(m)))];
        if (config.Value("metric_list") is not List<object?> { Count: > 0 } entries) throw config.Error("metric_list", "expected a list of {metric: …} entries");
        var metrics = new List<LmEvalMetric>();
        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"metric_list[{i}]";
            if (entries[i] is not OrderedDictionary<string, object?> entry) throw config.Error("metric_list", $"{at}: expected a mapping with 'metric'");
            var metric = entry.TryGetValue("metric", out var m) && m is string name ? name : throw config.Error("metric_list", $"{at}: 'metric' key not provided");
            if (!allowed.Contains(metric)) throw config.Error("metric_list", $"{at}: metric '{metric}' is not read for {outputType} (ForgetLab reads {string.Join(", ", allowed)})");
            var higher = HigherIsBetter(metric);
            var regexes = new List<string>();
            bool ignoreCase = false, ignorePunctuation = false, ignoreNumbers = false;
            foreach (var (key, value) in entry)
            {
                switch (key)
                {
                    case "metric":
                        break;
                    case "aggregation":
                        var expected = metric switch { "perplexity" => "perplexity", "word_perplexity" or "byte_perplexity" => "weighted_perplexity", "bits_per_byte" => "bits_per_byte", _ => "mean" };
                        if (value as string != expected) throw config.Error("metric_list", $"{at}: aggregation of {metric} must be {expected} (lm-eval's default; others are not computed)");
                        break;
                    case "higher_is_better":
                        higher = value as bool? ?? throw config.Error("metric_list", $"{at}: higher_is_better must be true or false");
                        break;
                    case "ignore_case" or "ignore_punctuation" or "ignore_numbers" when metric == "exact_match" && outputType == SuiteKinds.GenerateUntil:
                        var flag = value as bool? ?? throw config.Error("metric_list", $"{at}: {key} must be true or false");
                        if (key == "ignore_case") ignoreCase = flag;
                        else if (key == "ignore_punctuation") ignorePunctuation = flag;
                        else ignoreNumbers = flag;
                        break;
                    case "regexes_to_ignore" when metric == "exact_match" && outputType == SuiteKinds.GenerateUntil:
                        if (value is not List<object?> list || !list.All(x => x is string)) throw config.Error("metric_list", $"{at}: regexes_to_ignore must be a list of regular expressions");
                        foreach (var pattern in list.Cast<string>())
                        {
                            try
                            {
                                PythonRegex.Compile(pattern);
                            }
                            catch (ArgumentException e)
                            {
                                throw config.Error("metric_list", $"{at}: regexes_to_ignore: {e.Message}");
                            }
                            regexes.Add(pattern);
                        }
                        break;
                    default:
                        throw config.Error("metric_list", $"{at}: {key} is not read for {metric}");
                }
            }
            metrics.Add(new LmEvalMetric(metric, higher, metric == "exact_match" ? new ExactMatchOptions(regexes, ignoreCase, ignorePunctuation, ignoreNumbers) : null));
        }
        return metrics;
    }

    private static bool HigherIsBetter(string metric) => metric is not ("perplexity" or "word_perplexity" or "byte_perplexity" or "bits_per_byte");

    private static List<LmEvalFilter> FilterList(Config config, string outputType)
    {
        if (config.Value("filter_list") is null) return [LmEvalFilter.None];
        if (outputType != SuiteKinds.GenerateUntil) throw config.Error("filter_list", "ForgetLab applies filters to generate_until tasks only");
        if (config.Value("filter_list") is not List<object?> { Count: > 0 } entries) throw config.Error("filter_list", "expected a list of {name, filter} entries");
        var filters = new List<LmEvalFilter>();
        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"filter_list[{i}]";
            if (entries[i] is not OrderedDictionary<string, object?> entry
                || !entry.TryGetValue("name", out var n) || n is not string name
                || !entry.TryGetValue("filter", out var f) || f is not List<object?> { Count: > 0 } steps)
                throw config.Error("filter_list", $"{at}: expected 'name' and a list 'filter' of {{function: …}} steps");
            if (entry.Keys.Any(k => k is not ("name" or "filter"))) throw config.Error("filter_list", $"{at}: only name and filter are read");
            var pipeline = new List<LmEvalFilterStep>();
            for (var k = 0; k < steps.Count; k++)
            {
                var stepAt = $"{at}.filter[{k}]";
                if (steps[k] is not OrderedDictionary<string, object?> step || !step.TryGetValue("function", out var fn) || fn is not string function)
                    throw config.Error("filter_list", $"{stepAt}: expected a mapping with 'function'");
                switch (function)
                {
                    case "take_first" when step.Count == 1:
                        pipeline.Add(new LmEvalFilterStep.TakeFirst());
                        break;
                    case "regex":
                        var pattern = @"#### (\-?[0-9\.\,]+)";
                        var group = 0;
                        var fallback = "[invalid]";
                        foreach (var (key, value) in step)
                        {
                            switch (key)
                            {
                                case "function": break;
                                case "regex_pattern" when value is string p: pattern = p; break;
                                case "group_select" when value is long g && g is > -1000 and < 1000: group = (int)g; break;
                                case "fallback" when value is string fb: fallback = fb; break;
                                default: throw config.Error("filter_list", $"{stepAt}: {key} is not read for regex (regex_pattern, group_select, fallback)");
                            }
                        }
                        try
                        {
                            pipeline.Add(new LmEvalFilterStep.RegexExtract(pattern, group, fallback));
                        }
                        catch (ArgumentException e)
                        {
                            throw config.Error("filter_list", $"{stepAt}: {e.Message}");
                        }
                        break;
                    default:
                        throw config.Error("filter_list", $"{stepAt}: filter function '{function}' is not read (regex, take_first)");
                }
            }
            filters.Add(new LmEvalFilter(name, pipeline));
        }
        return filters;
    }

    /// <summary>The merged configuration with where each key came from, for errors that name file, line and key.</summary>
    internal sealed class Config(OrderedDictionary<string, (object? Value, string File, int Line)> raw, string yamlPath)
    {
        public object? Value(string key) => raw.TryGetValue(key, out var v) ? v.Value : null;

        public bool Has(string key) => raw.ContainsKey(key);

        public string FileOf(string key) => raw.TryGetValue(key, out var v) ? v.File : yamlPath;

        public string FolderOf(string key) => Path.GetDirectoryName(Path.GetFullPath(FileOf(key)))!;

        public int LineOf(string key) => raw.TryGetValue(key, out var v) ? v.Line : 0;

        public string? String(string key) => Value(key) switch
        {
            null => null,
            string s => s,
            var other => throw Error(key, $"expected text, not {LmEvalValues.TypeName(other)}"),
        };

        public int? Int(string key) => Value(key) switch
        {
            null => null,
            long n when n is >= int.MinValue and <= int.MaxValue => (int)n,
            _ => throw Error(key, "expected an integer"),
        };

        public OrderedDictionary<string, object?>? Dict(string key) => Value(key) switch
        {
            null => null,
            OrderedDictionary<string, object?> d => d,
            _ => throw Error(key, "expected a mapping"),
        };

        public InvalidDataException Error(string key, string message) =>
            new(raw.TryGetValue(key, out var v) ? $"{v.File} (line {v.Line}): {key}: {message}." : $"{yamlPath}: {key}: {message}.");
    }
}
