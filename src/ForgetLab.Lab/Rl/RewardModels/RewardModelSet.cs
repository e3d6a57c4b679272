using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>One declared reward model as a run used it: its component, its folder, where it came from and its record.</summary>
public sealed record RewardModelUse(
    [property: JsonPropertyName("component")] string Component,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("info")] RewardModelInfo Info);

/// <summary>
/// The reward models a run declares, loaded for its <see cref="RewardFunction"/>: each read from its <c>path</c>, or from
/// the <see cref="RewardModelCache"/> (trained first when absent, reported as the <c>reward_model</c> preparation phase).
/// A reward model reads the policy's token ids, so one trained with another tokenizer than the base's is refused.
/// <c>runs/NAME/reward_models.json</c> records each (<see cref="Write"/>), its held-out pairwise accuracy included.
/// </summary>
public sealed class RewardModelSet : IDisposable
{
    public const string RunFile = "reward_models.json";

    private readonly Dictionary<string, RewardModel> models = new(StringComparer.Ordinal);
    private readonly List<RewardModelUse> uses = [];

    public IReadOnlyDictionary<string, RewardModel> Models => models;

    public IReadOnlyList<RewardModelUse> Uses => uses;

    public static RewardModelSet Load(
        RlSpec rl, string cacheDirectory, string baseFolder, ITokenizer tokenizer, WorldFacts? facts, IProgress<JobEvent>? progress)
    {
        var set = new RewardModelSet();
        try
        {
            foreach (var component in rl.Rewards.Where(r => r.Kind == RewardKind.RewardModel))
            {
                var spec = component.Model ?? throw new InvalidOperationException($"reward component '{component.Name}' declares no reward model");
                string folder, source;
                RewardModelInfo info;
                if (spec.Path is { } path)
                {
                    folder = Path.GetFullPath(path);
                    info = RewardModelCache.ReadInfo(folder);
                    RequireSameTokenizer(component.Name, folder, baseFolder);
                    source = "path";
                }
                else
                {
                    var w = facts ?? throw new InvalidOperationException($"reward component '{component.Name}': pairs: world needs the built-in world");
                    var train = spec.Train!;
                    progress?.Report(new PreparationProgress(PreparationPhase.RewardModel, 0, train.Steps, component.Name));
                    (folder, info, var cached) = new RewardModelCache(cacheDirectory).GetOrTrain(train, baseFolder, tokenizer, w,
                        line => progress?.Report(new PreparationProgress(PreparationPhase.RewardModel, StepOf(line), train.Steps, $"{component.Name}: {line}")));
                    progress?.Report(new PreparationProgress(PreparationPhase.RewardModel, train.Steps, train.Steps,
                        $"{component.Name}: held-out pairwise accuracy {info.HeldOutAccuracy:0.000}{(cached ? " (cached)" : "")}"));
                    source = cached ? "cache" : "trained";
                }
                set.models[component.Name] = RewardModel.Load(folder, tokenizer.RequireEos(), tokenizer.PadOrEos());
                set.uses.Add(new RewardModelUse(component.Name, folder, source, info));
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    public void Write(string runDirectory)
    {
        if (uses.Count == 0) return;
        File.WriteAllText(Path.Combine(runDirectory, RunFile), JsonSerializer.Serialize(uses, new JsonSerializerOptions { WriteIndented = true }));
    }

    public void Dispose()
    {
        foreach (var model in models.Values) model.Dispose();
        models.Clear();
    }

    private static long StepOf(string line)
    {
        // "reward model step 40/200: loss …"
        var at = line.IndexOf("step ", StringComparison.Ordinal);
        var slash = at < 0 ? -1 : line.IndexOf('/', at);
        return at >= 0 && slash > at && long.TryParse(line.AsSpan(at + 5, slash - at - 5), out var step) ? step : 0;
    }

    private static void RequireSameTokenizer(string component, string folder, string baseFolder)
    {
        foreach (var name in TokenizerFolderFiles.Names)
        {
            var (mine, theirs) = (Path.Combine(folder, name), Path.Combine(baseFolder, name));
            if (File.Exists(mine) != File.Exists(theirs) || (File.Exists(mine) && !File.ReadAllBytes(mine).AsSpan().SequenceEqual(File.ReadAllBytes(theirs))))
                throw new InvalidOperationException(
                    $"reward component '{component}': the reward model at {folder} was trained with another tokenizer than the base's ({name} differs); a reward model reads the policy's token ids");
        }
    }
}
