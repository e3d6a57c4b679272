using System.Text.RegularExpressions;
using ForgetLab.Core.Specs.Rl;
using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Maps a spec's YAML tree onto <see cref="LabSpec"/>, field by field, checking types, ranges and
/// cross-field rules. It keeps going after an error so one pass reports everything; the result is
/// null when anything was wrong.
/// </summary>
internal sealed partial class SpecReader(SpecErrorList errors, SpecFiles files)
{
    private readonly List<DataRef> _dataRefs = [];

    private const int MaxSteps = 1_000_000;
    private const int MaxBatch = 4096;

    private static readonly string[] SpecFields = ["name", "description", "seed", "base", "target", "suites", "train", "grid", "variants", "eval", "resources", "evaluate", "search"];
    private static readonly string[] BaseFields = ["world", "path", "model_ref", "architecture", "tokenizer", "model", "pretrain"];
    private static readonly string[] WorldBaseFields = ["world", "architecture", "tokenizer", "model", "pretrain"];
    private static readonly string[] ModelFields = ["n_layer", "n_head", "n_kv_head", "n_embd", "n_ctx", "dropout"];
    private static readonly string[] TokenizerFields = ["kind", "vocab_size", "path"];
    private static readonly string[] PretrainFields = ["steps", "batch_size", "lr", "warmup_steps", "schedule", "weight_decay", "grad_clip"];
    private static readonly string[] TrainFields =
        [.. PretrainFields, "checkpoint_every", "replay", "ewc", "l2sp", "distill", "early_stopping", "optimizer_state", "compute_dtype", "gradient_checkpointing", "rl"];
    private static readonly string[] DataRefFields = ["data_ref", "file"];
    private static readonly string[] TargetDataFields = ["data", "eval_split", "eval_data", "chat_template", "completion_only_loss", "assistant_only_loss", "too_long"];
    private static readonly string[] TargetFields = ["task", "count", .. TargetDataFields];
    private static readonly string[] GridFields = ["method", "lr", "steps", "seed", "replay", "ewc_lambda", "l2sp_alpha", "distill_beta", "rl_beta", "rl_ptx_coef"];
    private static readonly string[] MethodFields = ["type", "name", "lr"];
    private static readonly string[] EarlyStoppingFields = ["suite", "max_drop_points", "max_severity"];
    private static readonly string[] VariantFields = ["name", "method", "train"];
    private static readonly string[] EvaluateFields = ["name", "path", "model_ref"];

    /// <summary>Fields that say how to train: an evaluation-only spec (<c>evaluate</c>) trains nothing, so it refuses them.</summary>
    private static readonly string[] TrainingFields = ["train", "grid", "variants"];

    private static readonly NumberRange ReplayRange = NumberRange.Between(0, ReplaySpec.MaxRatio);
    private static readonly NumberRange Strength = new(0, true, double.MaxValue, true, "must be at least 0 (0 turns it off for the run)");
    private static readonly NumberRange RlBetaRange = new(0, true, double.MaxValue, true, "must be at least 0 (0 loads no reference model)");
    private static readonly string[] ResourcesFields = ["memory_gb"];
    private static readonly string[] SearchFields = ["kind", "rungs", "keep"];
    private static readonly NumberRange MemoryGb = new(0, false, ResourcesSpec.MaxMemoryGb, true, $"must be greater than 0 and at most {ResourcesSpec.MaxMemoryGb:0} (GiB per device)");
    private static readonly string[] EvalFields = ["max_items", "batch_size", "bootstrap_resamples", "base_gate"];
    private static readonly string[] BaseGateFields = ["alpha", "min_known_items", "suites"];
    private static readonly string[] SuiteGateFields = ["alpha", "min_known_items"];
    private static readonly NumberRange GateAlpha = new(0, false, 1, false, "must be greater than 0 and less than 1");

    private const string NameRule = "must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    public LabSpec? Read(YamlNode root)
    {
        if (YamlFields.Open(root, "", errors) is not { } spec) return null;
        var before = errors.Count;
        spec.AllowOnly(SpecFields);

        var name = spec.Require("name") ? Name(spec, "name") : null;
        var description = spec.String("description");
        var seed = spec.Int("seed", 0, 0, int.MaxValue);
        var baseModel = spec.Require("base") && spec.Mapping("base") is { } b ? ReadBase(b) : null;
        var target = spec.Require("target") && spec.Mapping("target") is { } t ? ReadTarget(t) : null;
        var suites = spec.Require("suites") ? ReadSuites(spec) : null;
        var gridAxes = spec.Value("grid") is YamlMappingNode gm
            ? gm.Children.Keys.Select(YamlValues.Text).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var (train, warmup) = spec.Has("train")
            ? spec.Mapping("train") is { } tr ? ReadTrain(tr, suites, gridAxes, new TrainSpec()) : (null, null)
            : (new TrainSpec(), new TrainSpec().WarmupSteps);
        var (grid, methodLines) = spec.Has("grid")
            ? spec.Mapping("grid") is { } g ? ReadGrid(g, warmup) : (null, [])
            : (new GridSpec(), []);
        var (variants, variantLines) = spec.Has("variants") && train is not null
            ? ReadVariants(spec, train, suites, gridAxes, grid)
            : (spec.Has("variants") ? null : [], []);
        var eval = spec.Has("eval") ? spec.Mapping("eval") is { } e ? ReadEval(e, suites) : null : new EvalSpec();
        var resources = spec.Has("resources") ? spec.Mapping("resources") is { } r ? ReadResources(r) : null : new ResourcesSpec();
        var evaluate = spec.Has("evaluate") ? ReadEvaluate(spec) : [];
        var search = spec.Has("search") ? spec.Mapping("search") is { } se ? ReadSearch(se) : null : null;

        if (errors.Count > before || name is null || seed is null || baseModel is null || target is null
            || suites is null || train is null || grid is null || variants is null || eval is null || resources is null || evaluate is null || (spec.Has("search") && search is null))
            return null;

        var lab = new LabSpec
        {
            Name = name, Description = description, Seed = seed.Value, Base = baseModel, Target = target,
            Suites = suites, Train = train, Grid = grid, Variants = variants, Eval = eval, Resources = resources, Evaluate = evaluate, Search = search,
            DataRefs = [.. _dataRefs],
        };
        CheckMethodsFitTheBase(lab, methodLines, variantLines);
        CheckRewardModelsFitTheBase(lab, spec, variantLines);
        CheckDataTargetSuites(lab, spec);
        CheckOptimizerState(lab, spec, variantLines);
        CheckRlAxes(lab, spec);
        CheckRuns(lab, spec, methodLines);
        CheckSearch(lab, spec);
        return errors.Count > before ? null : lab;
    }

    private string? Name(YamlFields fields, string key)
    {
        var name = fields.String(key);
        if (name is not null && !NamePattern().IsMatch(name))
        {
            fields.Error(key, NameRule);
            return null;
        }

        return name;
    }

    private BaseModelSpec? ReadBase(YamlFields b)
    {
        var before = errors.Count;
        b.AllowOnly(BaseFields);
        if (b.Has("model_ref"))
        {
            foreach (var other in WorldBaseFields.Append("path").Where(b.Has))
                b.Error(other, "cannot be combined with 'model_ref' (a registered model brings its own config.json)");
            var modelRef = Name(b, "model_ref");
            return errors.Count > before || modelRef is null ? null : new BaseModelSpec { World = null, ModelRef = modelRef };
        }

        if (b.Has("path"))
        {
            foreach (var other in WorldBaseFields.Where(b.Has))
                b.Error(other, "cannot be combined with 'path' (a model folder brings its own config.json)");
            var path = ModelFolder(b);
            return errors.Count > before || path is null ? null : new BaseModelSpec { World = null, Path = path };
        }

        if (!b.Has("world"))
        {
            errors.Add(b.Line, b.PathOf("world"), "required field is missing (or give 'path' to a model folder, or 'model_ref' to a registered model)");
            return null;
        }

        var world = b.String("world");
        if (world is not null && !BaseModelSpec.KnownWorlds.Contains(world))
            b.Error("world", YamlValues.UnknownValue(world, [.. BaseModelSpec.KnownWorlds]));
        var architecture = b.Enum("architecture", BaseArchitecture.Gpt2, SpecNames.Architectures);
        var tokenizer = b.Has("tokenizer") ? b.Mapping("tokenizer") is { } t ? ReadTokenizer(t) : null : new TokenizerSpec();
        var model = b.Has("model") ? b.Mapping("model") is { } m ? ReadModel(m, architecture ?? BaseArchitecture.Gpt2) : null : new ModelConfigSpec();
        var pretrain = b.Has("pretrain") ? b.Mapping("pretrain") is { } p ? ReadPretrain(p) : null : new PretrainSpec();
        return errors.Count > before || architecture is null || tokenizer is null || model is null || pretrain is null
            ? null
            : new BaseModelSpec { World = world, Architecture = architecture.Value, Tokenizer = tokenizer, Model = model, Pretrain = pretrain };
    }

    private TokenizerSpec? ReadTokenizer(YamlFields t)
    {
        var before = errors.Count;
        t.AllowOnly(TokenizerFields);
        var kind = t.Require("kind") ? t.Enum("kind", TokenizerKind.Word, SpecNames.TokenizerKinds) : null;
        var size = t.Int("vocab_size", TokenizerSpec.DefaultVocabSize, TokenizerSpec.MinVocabSize, TokenizerSpec.MaxVocabSize);
        if (kind == TokenizerKind.Word && t.Has("vocab_size"))
            t.Error("vocab_size", "applies to a trained tokenizer (sentencepiece, bpe); the word tokenizer's vocabulary is the world's words");
        if (kind == TokenizerKind.File && t.Has("vocab_size"))
            t.Error("vocab_size", "applies to a trained tokenizer (sentencepiece, bpe); an existing tokenizer.json brings its own vocabulary");
        CorpusRef? file = null;
        if (kind == TokenizerKind.File)
        {
            // A path, or a data set's tokenizer file ({ data_ref, file }): the worker brings the data set to a folder and the
            // reference resolves there, tokenizer_config.json beside it as for a path (on the server it is named, not read).
            if (t.Require("path") && DataFileOrRef(t, "path", "tokenizer file") is ({ } typed, { } full, var named))
                file = WithHash(t, "path", new CorpusRef(typed, full) { Ref = named },
                    full.Length == 0 ? null : Path.Combine(Path.GetDirectoryName(full)!, DataRef.TokenizerConfigFile));
        }
        else if (t.Has("path"))
            t.Error("path", "applies to kind: file (an existing tokenizer.json)");
        return errors.Count > before ? null : new TokenizerSpec { Kind = kind!.Value, VocabSize = size!.Value, File = file };
    }

    private string? ModelFolder(YamlFields b)
    {
        if (b.String("path") is not { } typed) return null;
        var (full, error) = files.Folder(typed);
        if (error is not null) b.Error("path", error);
        return full;
    }

    private ModelConfigSpec? ReadModel(YamlFields m, BaseArchitecture architecture)
    {
        var before = errors.Count;
        m.AllowOnly(ModelFields);
        var d = new ModelConfigSpec();
        var nLayer = m.Int("n_layer", d.NLayer, 1, 64);
        var nHead = m.Int("n_head", d.NHead, 1, 64);
        var nEmbd = m.Int("n_embd", d.NEmbd, 8, 8192);
        var nCtx = m.Int("n_ctx", d.NCtx, 8, 4096);
        var dropout = m.Double("dropout", d.Dropout, NumberRange.Probability);
        int? nKvHead = m.Has("n_kv_head") ? m.Int("n_kv_head", 0, 1, 64) : null;
        if (nHead is { } heads && nEmbd is { } width && width % heads != 0)
            m.Error("n_embd", $"must be divisible by n_head ({heads})");
        if (m.Has("n_kv_head") && architecture != BaseArchitecture.Llama)
            m.Error("n_kv_head", "applies to a Llama base (base.architecture: llama); GPT-2's attention has as many key/value heads as query heads");
        else if (nKvHead is { } kv && nHead is { } h && h % kv != 0)
            m.Error("n_kv_head", $"must divide n_head ({h})");
        if (architecture == BaseArchitecture.Llama && dropout is > 0)
            m.Error("dropout", "must be 0 for a Llama base (Llama's layers have no dropout)");
        return errors.Count > before ? null : new ModelConfigSpec
        {
            NLayer = nLayer!.Value, NHead = nHead!.Value, NKvHead = nKvHead, NEmbd = nEmbd!.Value, NCtx = nCtx!.Value, Dropout = dropout!.Value,
        };
    }

    private PretrainSpec? ReadPretrain(YamlFields p)
    {
        var before = errors.Count;
        p.AllowOnly([.. PretrainFields, "corpus"]);
        var corpus = Corpus(p) is { } c ? WithHash(p, "corpus", c) : null;
        var d = new PretrainSpec();
        var steps = p.Int("steps", d.Steps, 1, MaxSteps);
        var batch = p.Int("batch_size", d.BatchSize, 1, MaxBatch);
        var lr = p.Double("lr", d.Lr, NumberRange.LearningRate);
        var warmup = Warmup(p, d.WarmupSteps, steps);
        var schedule = p.Enum("schedule", d.Schedule, SpecNames.Schedules);
        var decay = p.Double("weight_decay", d.WeightDecay, NumberRange.Between(0, 1));
        var clip = p.Double("grad_clip", d.GradClip, NumberRange.Between(0, 1000));
        return errors.Count > before ? null : new PretrainSpec
        {
            Steps = steps!.Value, BatchSize = batch!.Value, Lr = lr!.Value, WarmupSteps = warmup!.Value,
            Schedule = schedule!.Value, WeightDecay = decay!.Value, GradClip = clip!.Value, Corpus = corpus,
        };
    }

    /// <summary>A file a base is built from, with the hash of its bytes (and of <paramref name="companion"/> when it exists), so a changed file is a different base.</summary>
    private static CorpusRef? WithHash(YamlFields p, string key, CorpusRef file, string? companion = null)
    {
        if (file.FullPath.Length == 0) return file; // a registered data set the server names but does not read: hashed where it is brought
        try
        {
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            sha.AppendData(File.ReadAllBytes(file.FullPath));
            if (companion is not null && File.Exists(companion)) sha.AppendData(File.ReadAllBytes(companion));
            return file with { Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset()) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            p.Error(key, $"'{file.Path}' cannot be read ({e.Message})");
            return null;
        }
    }

    /// <summary>A train record; fields it leaves out take their value from <paramref name="d"/> (the defaults, or a variant's spec-level train).</summary>
    private (TrainSpec? Train, int? Warmup) ReadTrain(YamlFields t, IReadOnlyList<SuiteRef>? suites, IReadOnlySet<string> gridAxes, TrainSpec d)
    {
        var before = errors.Count;
        t.AllowOnly(TrainFields);
        var steps = t.Int("steps", d.Steps, 1, MaxSteps);
        var batch = t.Int("batch_size", d.BatchSize, 1, MaxBatch);
        var lr = t.Double("lr", d.Lr, NumberRange.LearningRate);
        var warmup = Warmup(t, d.WarmupSteps, steps);
        var schedule = t.Enum("schedule", d.Schedule, SpecNames.Schedules);
        var decay = t.Double("weight_decay", d.WeightDecay, NumberRange.Between(0, 1));
        var clip = t.Double("grad_clip", d.GradClip, NumberRange.Between(0, 1000));
        var every = t.Int("checkpoint_every", d.CheckpointEvery, 1, MaxSteps);
        var replay = t.Mapping("replay") is { } r ? ReadReplay(r, gridAxes.Contains("replay")) : t.Has("replay") ? null : d.Replay;
        var ewc = t.Mapping("ewc") is { } e ? ReadEwc(e, gridAxes.Contains("ewc_lambda")) : t.Has("ewc") ? null : d.Ewc;
        var l2sp = t.Mapping("l2sp") is { } l ? ReadL2Sp(l, gridAxes.Contains("l2sp_alpha")) : t.Has("l2sp") ? null : d.L2Sp;
        var distill = t.Mapping("distill") is { } di ? ReadDistill(di, gridAxes.Contains("distill_beta")) : t.Has("distill") ? null : d.Distill;
        var stopping = t.Mapping("early_stopping") is { } es ? ReadEarlyStopping(es, suites) : t.Has("early_stopping") ? null : d.EarlyStopping;
        var optimizerState = t.Enum("optimizer_state", d.OptimizerState, SpecNames.OptimizerStates);
        var computeDtype = t.Enum("compute_dtype", d.ComputeDtype, SpecNames.ComputeDtypes);
        var checkpointing = t.Bool("gradient_checkpointing", d.GradientCheckpointing);
        var rl = t.Mapping("rl") is { } rm ? new RlSpecReader(errors).Read(rm, batch, every) : t.Has("rl") ? null : d.Rl;
        if (rl is not null && replay is { Ratio: > 0 })
            t.Error(t.Has("replay") ? "replay" : "rl", "replay mixes pre-training rows into supervised batches; with train.rl use rl.ptx (the pre-training mix)");
        if (errors.Count > before) return (null, warmup);
        return (new TrainSpec
        {
            Steps = steps!.Value, BatchSize = batch!.Value, Lr = lr!.Value, WarmupSteps = warmup!.Value,
            Schedule = schedule!.Value, WeightDecay = decay!.Value, GradClip = clip!.Value, CheckpointEvery = every!.Value,
            Replay = replay, Ewc = ewc, L2Sp = l2sp, Distill = distill, EarlyStopping = stopping,
            OptimizerState = optimizerState!.Value, ComputeDtype = computeDtype!.Value, GradientCheckpointing = checkpointing!.Value,
            Rl = rl,
        }, warmup);
    }

    // A strength is required in its record unless a grid axis supplies it per run; the record then
    // only carries the other settings (fisher_batches, temperature), and the value here is a placeholder.

    private ReplaySpec? ReadReplay(YamlFields r, bool onGrid)
    {
        var before = errors.Count;
        r.AllowOnly(["ratio", "corpus"]);
        var ratio = onGrid || r.Require("ratio") ? r.Double("ratio", 0, ReplayRange) : null;
        var corpus = Corpus(r);
        return errors.Count > before ? null : new ReplaySpec { Ratio = ratio!.Value, Corpus = corpus };
    }

    private EwcSpec? ReadEwc(YamlFields e, bool onGrid)
    {
        var before = errors.Count;
        e.AllowOnly(["lambda", "fisher_batches", "corpus"]);
        var lambda = onGrid || e.Require("lambda") ? e.Double("lambda", 0, NumberRange.Positive) : null;
        var batches = e.Int("fisher_batches", new EwcSpec().FisherBatches, 1, 1000);
        var corpus = Corpus(e);
        return errors.Count > before ? null : new EwcSpec { Lambda = lambda!.Value, FisherBatches = batches!.Value, Corpus = corpus };
    }

    private L2SpSpec? ReadL2Sp(YamlFields l, bool onGrid)
    {
        var before = errors.Count;
        l.AllowOnly(["alpha"]);
        var alpha = onGrid || l.Require("alpha") ? l.Double("alpha", 0, NumberRange.Positive) : null;
        return errors.Count > before ? null : new L2SpSpec { Alpha = alpha!.Value };
    }

    private DistillSpec? ReadDistill(YamlFields d, bool onGrid)
    {
        var before = errors.Count;
        d.AllowOnly(["beta", "temperature", "corpus"]);
        var beta = onGrid || d.Require("beta") ? d.Double("beta", 0, NumberRange.Positive) : null;
        var temperature = d.Double("temperature", new DistillSpec().Temperature, NumberRange.Positive);
        var corpus = Corpus(d);
        return errors.Count > before ? null : new DistillSpec { Beta = beta!.Value, Temperature = temperature!.Value, Corpus = corpus };
    }

    /// <summary>A <c>corpus</c> field: the user's text JSONL in place of the base's own world; null when absent.</summary>
    private CorpusRef? Corpus(YamlFields fields)
    {
        if (!fields.Has("corpus")) return null;
        var (typed, full, named) = DataFileOrRef(fields, "corpus", "corpus file");
        return typed is null ? null : new CorpusRef(typed, full!) { Ref = named };
    }

    private EarlyStoppingSpec? ReadEarlyStopping(YamlFields e, IReadOnlyList<SuiteRef>? suites)
    {
        var before = errors.Count;
        e.AllowOnly(EarlyStoppingFields);
        var suite = e.Require("suite") ? e.String("suite") : null;
        if (suite is not null && suites is not null && !suites.Any(s => s.Name == suite))
        {
            var names = suites.Select(s => s.Name).ToList();
            e.Error("suite", $"'{suite}' is not one of the spec's suites{NameSuggestion.DidYouMean(suite, names)} (expected one of: {string.Join(", ", names)})");
        }

        var drop = e.Has("max_drop_points") ? e.Double("max_drop_points", 0, NumberRange.Positive) : null;
        var severity = e.Has("max_severity") ? e.Enum("max_severity", Analysis.Severity.None, SpecNames.Severities) : null;
        if (e.Has("max_drop_points") && e.Has("max_severity"))
            e.Error("max_severity", "give either max_drop_points or max_severity, not both");
        else if (!e.Has("max_drop_points") && !e.Has("max_severity"))
            errors.Add(e.Line, e.PathOf("max_drop_points"), "required field is missing (or give max_severity)");
        return errors.Count > before ? null : new EarlyStoppingSpec { Suite = suite!, MaxDropPoints = drop, MaxSeverity = severity };
    }

    private static int? Warmup(YamlFields fields, int fallback, int? steps)
    {
        var warmup = fields.Int("warmup_steps", fallback, 0, MaxSteps);
        if (warmup is { } w && steps is { } s && w > s)
        {
            fields.Error("warmup_steps", $"must not exceed steps ({s})");
            return null;
        }

        return warmup;
    }

    private TargetSpec? ReadTarget(YamlFields t)
    {
        var before = errors.Count;
        t.AllowOnly(TargetFields);
        if (t.Has("data"))
        {
            foreach (var builtIn in new[] { "task", "count" }.Where(t.Has))
                t.Error(builtIn, "cannot be combined with 'data' (the data file is the target)");
            var data = ReadTargetData(t);
            return errors.Count > before || data is null ? null : new TargetSpec { Data = data };
        }

        foreach (var dataOnly in TargetDataFields.Where(t.Has))
            t.Error(dataOnly, "applies to a data target (target.data)");
        if (!t.Has("task"))
        {
            errors.Add(t.Line, t.PathOf("task"), "required field is missing (or give 'data' to a JSONL file of your own)");
            return null;
        }
        var task = t.Enum("task", default(TargetTask), SpecNames.TargetTasks);
        var count = t.Int("count", new TargetSpec().Count, 1, 100_000);
        return errors.Count > before ? null : new TargetSpec { Task = task!.Value, Count = count!.Value };
    }

    /// <summary><c>target: { data, eval_split | eval_data, chat_template, completion_only_loss, assistant_only_loss, too_long }</c>.</summary>
    private TargetDataSpec? ReadTargetData(YamlFields t)
    {
        var before = errors.Count;
        var (path, full, _) = DataFileOrRef(t, "data", "data file");
        var split = t.Has("eval_split") ? ReadEvalSplit(t) : null;
        var (evalPath, evalFull, _) = t.Has("eval_data") ? DataFileOrRef(t, "eval_data", "data file") : (null, null, null);
        if (t.Has("eval_split") && t.Has("eval_data"))
            t.Error("eval_data", "give either eval_split or eval_data, not both");
        var (template, templateFull, _) = t.Has("chat_template") ? DataFileOrRef(t, "chat_template", "chat template file") : (null, null, null);
        var completionOnly = t.Bool("completion_only_loss", true);
        var assistantOnly = t.Bool("assistant_only_loss", true);
        var tooLong = t.Enum("too_long", TooLongPolicy.Refuse, SpecNames.TooLongPolicies);
        return errors.Count > before || path is null ? null : new TargetDataSpec
        {
            Path = path, FullPath = full!, EvalSplit = split, EvalPath = evalPath, EvalFullPath = evalFull,
            ChatTemplatePath = template, ChatTemplateFullPath = templateFull,
            CompletionOnlyLoss = completionOnly!.Value, AssistantOnlyLoss = assistantOnly!.Value, TooLong = tooLong!.Value,
        };
    }

    /// <summary>A fraction in (0, 1) or a whole count of at least 1.</summary>
    private EvalSplit? ReadEvalSplit(YamlFields t)
    {
        const string Rule = "must be a fraction between 0 and 1 (exclusive) or a whole count of at least 1";
        var text = t.Value("eval_split") is { } node ? YamlValues.Text(node) : null;
        if (text is not null && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            if (count >= 1 && count <= 1_000_000) return new EvalSplit(null, count);
            t.Error("eval_split", Rule);
            return null;
        }
        if (text is not null && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var fraction)
            && fraction > 0 && fraction < 1)
            return new EvalSplit(fraction, null);
        t.Error("eval_split", $"{Rule}, got {(t.Value("eval_split") is { } v ? YamlValues.Describe(v) : "nothing")}");
        return null;
    }

    /// <summary>
    /// A data file a field names by path, or from the tenant's data set registry (<c>{ data_ref: NAME, file: F }</c>): as written
    /// (<c>data_ref:NAME/F</c>), its full path (empty on the server, which names registered data sets without reading them), and
    /// the reference; or an error at the field.
    /// </summary>
    private (string? Typed, string? Full, DataRef? Ref) DataFileOrRef(YamlFields fields, string key, string what)
    {
        if (fields.Value(key) is not YamlMappingNode)
        {
            var (typed, full) = DataFile(fields, key, what);
            return (typed, full, null);
        }
        return fields.Mapping(key) is { } m ? NamedData(m, fields.PathOf(key)) : (null, null, null);
    }

    /// <summary>
    /// A <c>{ data_ref: NAME, file: F }</c> mapping at <paramref name="field"/>: a file of the data set of the kind the field takes
    /// (<see cref="DataRef.KindOf"/>: a data file, a suite header, a tokenizer or a chat template); as written, its full path
    /// (empty on the server) and the reference, or an error at the field.
    /// </summary>
    private (string? Typed, string? Full, DataRef? Ref) NamedData(YamlFields m, string field)
    {
        var kind = DataRef.KindOf(field);
        m.AllowOnly(DataRefFields);
        if (!m.Require("data_ref")) return (null, null, null);
        var name = Name(m, "data_ref");
        var file = m.Has("file") ? m.String("file") : null;
        if (file is not null && !(DataRef.IsFileName(file) && DataRef.IsFileOfKind(file, kind)))
        {
            m.Error("file", kind switch
            {
                DataRefKind.Suite => "must be the plain name of one of the data set's suite headers: a .yaml file (letters, digits, '.', '_', '-'; no folder)",
                DataRefKind.Tokenizer => $"must be the plain name of one of the data set's tokenizer files: a .json file other than {DataRef.TokenizerConfigFile} (letters, digits, '.', '_', '-'; no folder)",
                DataRefKind.ChatTemplate => "must be the plain name of one of the data set's chat templates: a .jinja file (letters, digits, '.', '_', '-'; no folder)",
                _ => "must be the plain name of one of the data set's .jsonl files (letters, digits, '.', '_', '-'; no folder)",
            });
            return (null, null, null);
        }
        if (name is null) return (null, null, null);
        var named = new DataRef(field, m.KeyLine("data_ref"), name, file);
        var (resolved, error) = files.Dataset(name, file, kind);
        if (error is not null)
        {
            m.Error("data_ref", error);
            return (null, null, null);
        }
        _dataRefs.Add(named);
        return (named.Typed, resolved ?? "", named);
    }

    /// <summary>A file a data field names: as written and its full path, or an error at the field.</summary>
    private (string? Typed, string? Full) DataFile(YamlFields fields, string key, string what)
    {
        if (fields.String(key) is not { } typed) return (null, null);
        var (full, error) = files.File(typed, what: what);
        if (error is not null) fields.Error(key, error);
        return (full is null ? null : typed, full);
    }

    private List<SuiteRef>? ReadSuites(YamlFields spec)
    {
        if (spec.List("suites") is not { } nodes) return null;
        var before = errors.Count;
        var suites = new List<SuiteRef>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            var path = $"suites[{i}]";
            if (nodes[i] is YamlMappingNode)
            {
                // A suite header of a registered data set: { data_ref: NAME, file: F.yaml }, its items beside it.
                if (YamlFields.Open(nodes[i], path, errors) is not { } m) continue;
                var (typed, full, named) = NamedData(m, path);
                if (named is null) continue;
                var fromData = new SuiteRef(typed!, full is { Length: > 0 } ? full : null)
                {
                    Data = named, ConfinedTo = full is { Length: > 0 } ? Path.GetDirectoryName(full) : null,
                };
                if (!seen.Add(typed!)) errors.Add(nodes[i], path, $"duplicate suite '{typed}'");
                else suites.Add(fromData);
                continue;
            }
            if (YamlValues.String(nodes[i], path, errors) is not { } entry) continue;
            SuiteRef? suite;
            if (BuiltInSuites.Contains(entry))
                suite = SuiteRef.BuiltIn(entry);
            else if (LooksLikePath(entry))
            {
                var (full, error) = files.File(entry);
                suite = full is null ? null : new SuiteRef(entry, full) { ConfinedTo = files.Rule == SpecFileRule.Confined ? files.Directory : null };
                if (error is not null) errors.Add(nodes[i], path, error);
            }
            else
            {
                suite = null;
                errors.Add(nodes[i], path,
                    $"unknown suite '{entry}'{NameSuggestion.DidYouMean(entry, BuiltInSuites.Names)} " +
                    $"(expected a built-in suite: {string.Join(", ", BuiltInSuites.Names)}; or a path to a suite .yaml file)");
            }

            if (suite is null) continue;
            if (!seen.Add(suite.FilePath ?? suite.Name))
                errors.Add(nodes[i], path, $"duplicate suite '{entry}'");
            else
                suites.Add(suite);
        }

        return errors.Count > before ? null : suites;
    }

    private static bool LooksLikePath(string entry) =>
        entry.Contains('/') || entry.Contains('\\')
        || entry.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || entry.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private (GridSpec? Grid, List<int> MethodLines) ReadGrid(YamlFields g, int? warmup)
    {
        var before = errors.Count;
        g.AllowOnly(GridFields);
        var methodLines = new List<int>();
        List<MethodSpec>? methods = [MethodSpec.Full];
        if (g.Has("method"))
        {
            methods = null;
            if (g.List("method") is { } nodes)
            {
                methods = [];
                for (var i = 0; i < nodes.Count; i++)
                {
                    methodLines.Add(SpecErrorList.LineOf(nodes[i]));
                    if (ReadMethod(nodes[i], $"{g.PathOf("method")}[{i}]") is { } method) methods.Add(method);
                }
            }
        }

        var lrs = Axis(g, "lr", (node, path) => YamlValues.Double(node, path, errors, NumberRange.LearningRate));
        var steps = Axis(g, "steps", (node, path) =>
        {
            var value = YamlValues.Int(node, path, errors, 1, MaxSteps);
            if (value is { } s && warmup is { } w && s < w)
                errors.Add(node, path, $"must be at least train.warmup_steps ({w})");
            return value;
        });
        var seeds = Axis(g, "seed", (node, path) => YamlValues.Int(node, path, errors, 0, int.MaxValue));
        var replay = Axis(g, "replay", (node, path) => YamlValues.Double(node, path, errors, ReplayRange));
        var ewc = Axis(g, "ewc_lambda", (node, path) => YamlValues.Double(node, path, errors, Strength));
        var l2sp = Axis(g, "l2sp_alpha", (node, path) => YamlValues.Double(node, path, errors, Strength));
        var distill = Axis(g, "distill_beta", (node, path) => YamlValues.Double(node, path, errors, Strength));
        var rlBeta = Axis(g, "rl_beta", (node, path) => YamlValues.Double(node, path, errors, RlBetaRange));
        var rlPtx = Axis(g, "rl_ptx_coef", (node, path) => YamlValues.Double(node, path, errors, Strength));

        if (errors.Count > before || methods is null) return (null, methodLines);
        return (new GridSpec
        {
            Methods = methods, Lr = lrs, Steps = steps, Seeds = seeds,
            Replay = replay, EwcLambda = ewc, L2SpAlpha = l2sp, DistillBeta = distill, RlBeta = rlBeta, RlPtxCoef = rlPtx,
        }, methodLines);
    }

    /// <summary>A grid axis: a non-empty list of distinct values; null when absent.</summary>
    private List<T>? Axis<T>(YamlFields g, string key, Func<YamlNode, string, T?> read) where T : struct
    {
        if (g.List(key) is not { } nodes) return null;
        var values = new List<T>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var path = $"{g.PathOf(key)}[{i}]";
            if (read(nodes[i], path) is not { } value) continue;
            var first = values.IndexOf(value);
            if (first >= 0) errors.Add(nodes[i], path, $"same value as {g.PathOf(key)}[{first}]");
            values.Add(value);
        }

        return values;
    }

    /// <summary>A method entry: its kind (from <see cref="MethodKinds"/>) reads its own settings.</summary>
    private MethodSpec? ReadMethod(YamlNode node, string path)
    {
        // "- lora" is short for a method with default settings.
        if (node is YamlScalarNode)
        {
            if (YamlValues.Enum(node, path, errors, MethodKinds.ByName) is not { } shortKind) return null;
            if (shortKind.ShortForm is null)
            {
                errors.Add(node, path, shortKind.ShortFormError ?? $"type '{shortKind.Name}' needs settings");
                return null;
            }

            return shortKind.ShortForm();
        }

        if (YamlFields.Open(node, path, errors) is not { } m) return null;
        var before = errors.Count;
        var kind = m.Require("type") ? m.Enum("type", MethodKinds.ByName["full"], MethodKinds.ByName) : null;
        string[] allowed = kind is { } k ? [.. MethodFields, .. k.Fields] : MethodFields;
        m.AllowOnly(allowed, field => MethodKinds.All.FirstOrDefault(o => o.Fields.Contains(field)) is { Name: not null } owner
            ? $"applies only to type '{owner.Name}'"
            : null);
        var name = m.Has("name") ? Name(m, "name") : null;
        var lr = m.Has("lr") ? m.Double("lr", 0, NumberRange.LearningRate) : null;
        var method = kind?.Read(m, errors);
        if (errors.Count > before || method is null) return null;
        return method with { Name = name, Lr = lr };
    }

    /// <summary>
    /// The variants list: each a name, an optional method (replacing the grid's method axis) and an
    /// optional train record whose fields replace the spec's train fields. Names are unique.
    /// </summary>
    private (List<VariantSpec>? Variants, List<int> Lines) ReadVariants(
        YamlFields spec, TrainSpec train, IReadOnlyList<SuiteRef>? suites, IReadOnlySet<string> gridAxes, GridSpec? grid)
    {
        var lines = new List<int>();
        if (spec.List("variants") is not { } nodes) return (null, lines);
        var before = errors.Count;
        var variants = new List<VariantSpec>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            lines.Add(SpecErrorList.LineOf(nodes[i]));
            var path = $"variants[{i}]";
            if (YamlFields.Open(nodes[i], path, errors) is not { } v) continue;
            var vBefore = errors.Count;
            v.AllowOnly(VariantFields);
            var name = v.Require("name") ? Name(v, "name") : null;
            if (name is not null && !names.TryAdd(name, i))
                v.Error("name", $"same name as variants[{names[name]}] ('{name}')");
            var method = v.Value("method") is { } m ? ReadMethod(m, v.PathOf("method")) : null;
            var (variantTrain, warmup) = v.Has("train")
                ? v.Mapping("train") is { } t ? ReadTrain(t, suites, gridAxes, train) : (null, null)
                : (train, train.WarmupSteps);
            if (warmup is { } w && grid?.Steps?.Where(s => s < w).Cast<int?>().FirstOrDefault() is { } shorter)
                errors.Add(v.KeyLine("train"), v.PathOf("train.warmup_steps"), $"must not exceed grid.steps value {shorter}");
            if (errors.Count > vBefore || name is null || variantTrain is null) continue;
            variants.Add(new VariantSpec { Name = name, Method = method, Train = variantTrain });
        }

        return (errors.Count > before ? null : variants, lines);
    }

    /// <summary>
    /// <c>evaluate: [{ name, path | model_ref }]</c>: models trained elsewhere, each reported as a run against the base.
    /// Names are unique; a path must be an existing folder (what kind of folder is the lab's to tell when it loads it).
    /// A spec that evaluates trains nothing, so <c>train</c>, <c>grid</c> and <c>variants</c> are refused beside it.
    /// </summary>
    private List<EvaluateEntry>? ReadEvaluate(YamlFields spec)
    {
        var before = errors.Count;
        foreach (var field in TrainingFields.Where(spec.Has))
            spec.Error(field, "cannot be combined with 'evaluate': an evaluation-only spec trains nothing (give either evaluate or a grid to train)");
        if (spec.List("evaluate") is not { } nodes) return null;
        var entries = new List<EvaluateEntry>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (YamlFields.Open(nodes[i], $"evaluate[{i}]", errors) is not { } e) continue;
            var eBefore = errors.Count;
            e.AllowOnly(EvaluateFields);
            var name = e.Require("name") ? Name(e, "name") : null;
            if (name is not null && !names.TryAdd(name, i))
                e.Error("name", $"same name as evaluate[{names[name]}] ('{name}')");
            string? path = null, modelRef = null;
            if (e.Has("path") && e.Has("model_ref"))
                e.Error("model_ref", "give either 'path' (a folder) or 'model_ref' (a registered model), not both");
            else if (e.Has("path"))
                path = EvaluatedFolder(e);
            else if (e.Has("model_ref"))
                modelRef = Name(e, "model_ref");
            else
                errors.Add(e.Line, e.PathOf("path"), "required field is missing (a model folder, a checkpoint or a PEFT adapter folder; or 'model_ref' to a registered model)");
            if (errors.Count > eBefore || name is null) continue;
            entries.Add(new EvaluateEntry { Name = name, Path = path, ModelRef = modelRef, Line = e.Line });
        }

        return errors.Count > before ? null : entries;
    }

    private string? EvaluatedFolder(YamlFields e)
    {
        if (e.String("path") is not { } typed) return null;
        var (full, error) = files.Folder(typed, needsConfig: false);
        if (error is not null) e.Error("path", error);
        return full;
    }

    /// <summary><c>resources: { memory_gb }</c>: what each run needs of a device.</summary>
    private ResourcesSpec? ReadResources(YamlFields r)
    {
        var before = errors.Count;
        r.AllowOnly(ResourcesFields);
        var memory = r.Has("memory_gb") ? r.Double("memory_gb", 0, MemoryGb) : null;
        return errors.Count > before ? null : new ResourcesSpec { MemoryGb = memory };
    }

    /// <summary><c>search: { kind: halving, rungs: [steps...], keep: N }</c>; the rungs are checked against every run in <see cref="CheckSearch"/>.</summary>
    private SearchSpec? ReadSearch(YamlFields s)
    {
        var before = errors.Count;
        s.AllowOnly(SearchFields);
        var kind = s.Require("kind") ? s.String("kind") : null;
        if (kind is not null && kind != SearchSpec.Halving) s.Error("kind", YamlValues.UnknownValue(kind, [SearchSpec.Halving]));
        var rungs = new List<int>();
        if (s.Require("rungs") && s.List("rungs") is { } nodes)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                if (YamlValues.Int(nodes[i], $"{s.PathOf("rungs")}[{i}]", errors, 1, MaxSteps) is not { } rung) continue;
                if (rungs.Count > 0 && rung <= rungs[^1])
                    errors.Add(nodes[i], $"{s.PathOf("rungs")}[{i}]", $"must be greater than the rung before it ({rungs[^1]}); rungs are strictly ascending steps");
                rungs.Add(rung);
            }
        }

        var keep = s.Int("keep", 1, 1, GridExpansion.MaxRuns);
        return errors.Count > before || keep is null ? null : new SearchSpec { Kind = kind!, Rungs = rungs, Keep = keep.Value };
    }

    private EvalSpec? ReadEval(YamlFields e, IReadOnlyList<SuiteRef>? suites)
    {
        var before = errors.Count;
        e.AllowOnly(EvalFields);
        var d = new EvalSpec();
        var maxItems = e.Int("max_items", d.MaxItems, 0, 1_000_000);
        var batch = e.Int("batch_size", d.BatchSize, 1, MaxBatch);
        var resamples = e.Int("bootstrap_resamples", d.BootstrapResamples, 100, 1_000_000);
        var (gate, suiteGates) = e.Has("base_gate")
            ? e.Mapping("base_gate") is { } g ? ReadBaseGate(g, suites) : (null, null)
            : (d.BaseGate, d.SuiteGates);
        return errors.Count > before || gate is null || suiteGates is null ? null : new EvalSpec
        {
            MaxItems = maxItems!.Value, BatchSize = batch!.Value, BootstrapResamples = resamples!.Value,
            BaseGate = gate, SuiteGates = suiteGates,
        };
    }

    /// <summary><c>eval.base_gate: { alpha, min_known_items, suites: { NAME: { alpha, min_known_items } } }</c>; a suite's own values override the spec's.</summary>
    private (Analysis.BaseGate?, IReadOnlyDictionary<string, Analysis.BaseGate>?) ReadBaseGate(YamlFields g, IReadOnlyList<SuiteRef>? suites)
    {
        var before = errors.Count;
        g.AllowOnly(BaseGateFields);
        var gate = ReadGate(g, Analysis.BaseGate.Default);
        var perSuite = new Dictionary<string, Analysis.BaseGate>(StringComparer.Ordinal);
        if (g.Has("suites") && g.Mapping("suites") is { } s && gate is not null)
        {
            var names = suites?.Select(x => x.Name).ToList();
            foreach (var name in s.Names)
            {
                if (names is not null && !names.Contains(name))
                {
                    s.Error(name, $"'{name}' is not one of the spec's suites{NameSuggestion.DidYouMean(name, names)} (expected one of: {string.Join(", ", names)})");
                    continue;
                }

                if (s.Mapping(name) is not { } one) continue;
                one.AllowOnly(SuiteGateFields);
                if (ReadGate(one, gate) is { } suiteGate) perSuite[name] = suiteGate;
            }
        }

        return errors.Count > before ? (null, null) : (gate, perSuite);
    }

    private static Analysis.BaseGate? ReadGate(YamlFields g, Analysis.BaseGate fallback)
    {
        var alpha = g.Double("alpha", fallback.Alpha, GateAlpha);
        var minKnown = g.Int("min_known_items", fallback.MinKnownItems, 0, 1_000_000);
        return alpha is null || minKnown is null ? null : new Analysis.BaseGate(alpha.Value, minKnown.Value);
    }

    /// <summary>A data target has a <c>target</c> suite only when examples are held out, and no <c>overwritten</c> suite (it changes no built-in facts).</summary>
    private void CheckDataTargetSuites(LabSpec lab, YamlFields spec)
    {
        if (lab.Target.Data is not { } data) return;
        for (var i = 0; i < lab.Suites.Count; i++)
        {
            var name = lab.Suites[i].IsBuiltIn ? lab.Suites[i].Name : null;
            if (name == "target" && !data.HasHeldOut)
                errors.Add(spec.KeyLine("suites"), $"suites[{i}]",
                    "'target' with target.data needs held-out examples: give target.eval_split (a fraction or a count) or target.eval_data (a second file)");
            else if (name == "overwritten")
                errors.Add(spec.KeyLine("suites"), $"suites[{i}]", "'overwritten' exists for target.task conflicting_facts; a data target changes no built-in facts");
        }
    }

    /// <summary>
    /// The reward fine-tuning axes replace a setting of <c>train.rl</c>, so every run must train with it; and a β
    /// from the axis must suit the rest of the record, as <c>train.rl.beta</c> itself would have to.
    /// </summary>
    private void CheckRlAxes(LabSpec lab, YamlFields spec)
    {
        if (spec.Mapping("grid") is not { } grid) return;
        foreach (var (axis, values) in new[] { ("rl_beta", lab.Grid.RlBeta), ("rl_ptx_coef", lab.Grid.RlPtxCoef) })
        {
            if (values is null) continue;
            var records = lab.Variants.Count == 0
                ? [(Where: "train.rl", Rl: lab.Train.Rl)]
                : lab.Variants.Select((v, i) => (Where: $"variants[{i}] ('{v.Name}')", v.Train.Rl)).ToList();
            if (records.FirstOrDefault(r => r.Rl is null) is { Where: not null } supervised)
            {
                grid.Error(axis, lab.Variants.Count == 0
                    ? "needs train.rl: the axis sets a reward fine-tuning option, and these runs are supervised"
                    : $"needs train.rl in every variant: {supervised.Where} is supervised (give the reward fine-tuning runs their own spec, or sweep them with variants)");
                continue;
            }

            if (axis != "rl_beta") continue;
            var nodes = grid.List(axis)!;
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] > 0) continue;
                var path = $"{grid.PathOf(axis)}[{i}]";
                foreach (var (where, rl) in records)
                {
                    var problem = rl!.Algorithm == Rl.RlAlgorithm.Dpo
                        ? "dpo needs beta greater than 0: at 0 its loss is the constant log 2 and gives no gradient"
                        : rl.AdaptiveKl is not null
                            ? "0 cannot be used with adaptive_kl: the controller scales beta and cannot move it from 0"
                            : rl.SyncRefModel
                                ? "0 cannot be used with sync_ref_model: with beta 0 no reference model is loaded"
                                : null;
                    if (problem is null) continue;
                    errors.Add(nodes[i], path, $"{problem} ({where})");
                    break;
                }
            }
        }
    }

    /// <summary>Pre-training moments exist only for a base trained here and fit only full fine-tuning's parameters.</summary>
    private void CheckOptimizerState(LabSpec lab, YamlFields spec, List<int> variantLines)
    {
        if (lab.Variants.Count == 0)
        {
            if (lab.Train.OptimizerState == OptimizerState.Pretrain && spec.Mapping("train") is { } train)
                CheckOptimizerState(lab, lab.Grid.Methods, "grid.method", train.KeyLine("optimizer_state"), train.PathOf("optimizer_state"));
            return;
        }

        for (var i = 0; i < lab.Variants.Count; i++)
        {
            var v = lab.Variants[i];
            if (v.Train.OptimizerState != OptimizerState.Pretrain) continue;
            var (methods, where) = v.Method is { } own ? ([own], $"variants[{i}].method") : (lab.Grid.Methods, "grid.method");
            CheckOptimizerState(lab, methods, where, variantLines.ElementAtOrDefault(i), $"variants[{i}].train.optimizer_state");
        }
    }

    private void CheckOptimizerState(LabSpec lab, IReadOnlyList<MethodSpec> methods, string methodPath, int line, string path)
    {
        if (!lab.Base.IsPretrained)
            errors.Add(line, path, "'pretrain' needs a base pre-trained here (base.world); a loaded or registered base has no optimizer state");
        else if (methods.Select((m, i) => (m, i)).FirstOrDefault(x => x.m is not FullSpec) is { m: not null } other)
            errors.Add(line, path,
                $"'pretrain' applies only to full fine-tuning (the moments belong to every base weight); " +
                $"{methodPath}{(methods.Count > 1 || methodPath.StartsWith("grid", StringComparison.Ordinal) ? $"[{other.i}]" : "")} is {other.m.Type}");
    }

    /// <summary>Each method's settings must fit the built base (e.g. frozen-layer indices; a loaded base is checked when it loads).</summary>
    private void CheckMethodsFitTheBase(LabSpec lab, List<int> methodLines, List<int> variantLines)
    {
        if (!lab.Base.IsPretrained) return;
        var methods = lab.Grid.Methods.Select((m, i) => (Method: m, Line: methodLines.ElementAtOrDefault(i), Path: $"grid.method[{i}]"))
            .Concat(lab.Variants.Select((v, i) => (Method: v.Method, Line: variantLines.ElementAtOrDefault(i), Path: $"variants[{i}].method"))
                .Where(x => x.Method is not null).Select(x => (Method: x.Method!, x.Line, x.Path)));
        foreach (var (method, line, path) in methods)
            if (method.CheckModel(lab.Base.Model) is { } problem)
                errors.Add(line, $"{path}.{problem.Field}", problem.Message);
    }

    /// <summary>A reward model trained here reads the base's blocks: its <c>trainable_layers</c> must exist in the built base.</summary>
    private void CheckRewardModelsFitTheBase(LabSpec lab, YamlFields spec, List<int> variantLines)
    {
        if (!lab.Base.IsPretrained) return;
        // Variants inherit train.rl, so with variants each one's record is the one a run trains with.
        var records = lab.Variants.Count == 0
            ? [(Path: "train.rl", Line: spec.KeyLine("train"), lab.Train.Rl)]
            : lab.Variants.Select((v, i) => (Path: $"variants[{i}].train.rl", Line: variantLines.ElementAtOrDefault(i), v.Train.Rl)).ToList();
        var n = lab.Base.Model.NLayer;
        foreach (var (path, line, rl) in records)
        {
            if (rl is null) continue;
            for (var i = 0; i < rl.Rewards.Count; i++)
                if (rl.Rewards[i].Model?.Train?.TrainableLayers is { } layers && layers.FirstOrDefault(l => l >= n, -1) is var bad and >= 0)
                    errors.Add(line, $"{path}.rewards[{i}].train.trainable_layers", $"layer {bad} does not exist: the base has {n} layers (0-{n - 1})");
        }
    }

    /// <summary>The grid must stay small enough to schedule and give every run its own name.</summary>
    /// <summary>
    /// A search's rungs must be checkpoint steps of every run (a multiple of its <c>checkpoint_every</c>) and below its last
    /// step, where stopping still saves something; an evaluation-only spec trains nothing to search over.
    /// </summary>
    private void CheckSearch(LabSpec lab, YamlFields spec)
    {
        if (lab.Search is not { } search || spec.Mapping("search") is not { } fields) return;
        if (lab.IsEvaluationOnly)
        {
            spec.Error("search", "an evaluation-only spec ('evaluate') trains nothing to search over");
            return;
        }

        if (GridExpansion.Count(lab) > GridExpansion.MaxRuns) return;
        var runs = GridExpansion.Expand(lab);
        if (search.Keep >= runs.Count)
            fields.Error("keep", $"must be less than the grid's {runs.Count} runs, or the search can never stop one");
        for (var i = 0; i < search.Rungs.Count; i++)
        {
            var rung = search.Rungs[i];
            var path = $"{fields.PathOf("rungs")}[{i}]";
            var line = fields.KeyLine("rungs");
            if (runs.FirstOrDefault(r => rung >= r.Steps) is { } shorter)
                errors.Add(line, path, $"step {rung} is not below the last step ({shorter.Steps}) of run '{shorter.Name}'; a rung must come before a run ends (train.steps)");
            else if (runs.FirstOrDefault(r => rung % r.Train.CheckpointEvery != 0) is { } offGrid)
                errors.Add(line, path, $"step {rung} is not a checkpoint step of run '{offGrid.Name}' (train.checkpoint_every: {offGrid.Train.CheckpointEvery})");
        }
    }

    private void CheckRuns(LabSpec lab, YamlFields spec, List<int> methodLines)
    {
        if (lab.IsEvaluationOnly) return;
        var count = GridExpansion.Count(lab);
        if (count > GridExpansion.MaxRuns)
        {
            spec.Error("grid", $"expands to {count} runs; at most {GridExpansion.MaxRuns} are allowed");
            return;
        }

        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var lrs = lab.Grid.Lr ?? [lab.Train.Lr];
        var steps = lab.Grid.Steps ?? [lab.Train.Steps];
        var seeds = lab.Grid.Seeds ?? [lab.Seed];
        for (var i = 0; i < lab.Grid.Methods.Count; i++)
        {
            var method = lab.Grid.Methods[i];
            var clash = (method.Lr is { } own ? [own] : lrs)
                .SelectMany(lr => steps.SelectMany(s => seeds.Select(seed => GridExpansion.RunName(method, lr, s, seed))))
                .Select(name => (Name: name, Owner: owner.TryAdd(name, i) ? i : owner[name]))
                .FirstOrDefault(n => n.Owner != i);
            if (clash.Name is not null)
                errors.Add(methodLines.ElementAtOrDefault(i), $"grid.method[{i}]",
                    $"gives the same run name as grid.method[{clash.Owner}] ('{clash.Name}'); give one of them a distinct 'name'");
        }
    }
}
