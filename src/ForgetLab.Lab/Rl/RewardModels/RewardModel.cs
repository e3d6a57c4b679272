using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>
/// A reward model: a ForgetLab model's backbone and a scalar head, as Hugging Face's <c>*ForSequenceClassification</c>
/// with <c>num_labels: 1</c> (<c>score</c>: Linear(C, 1) without bias, read at each sequence's last non-pad token, as
/// transformers' <c>last_non_pad_token</c>). A scored sequence is <c>[eos] prompt completion [eos]</c> (<see cref="Sequence"/>,
/// TRL's RewardTrainer appends the EOS): where the tokenizer has a pad token of its own the closing EOS is the position read;
/// where it has none TRL pads with EOS, so the closing EOS counts as padding and the completion's last token is read. Its folder (<see cref="Save"/>): the backbone as a model folder (config.json,
/// model.safetensors), <c>score.safetensors</c>, the tokenizer's files and <c>reward_model.json</c>.
/// </summary>
public sealed class RewardModel : IDisposable
{
    public const string ScoreFile = "score.safetensors";
    public const string ScoreKey = "score.weight";

    private readonly Linear score;

    /// <param name="scoreWeight">(1, C) a trained head; null draws one from N(0, initializer_range), as transformers' <c>_init_weights</c>.</param>
    /// <param name="pad">The pad token (the tokenizer's, or EOS where it has none, as TRL sets <c>config.pad_token_id</c>).</param>
    public RewardModel(CausalLanguageModel backbone, int eos, int pad, Tensor? scoreWeight = null)
    {
        Backbone = backbone;
        Eos = eos;
        Pad = pad;
        var device = backbone.parameters().First().device;
        score = TorchSharp.torch.nn.Linear(backbone.Config.HiddenSize, 1, hasBias: false, device: device);
        using var _ = no_grad();
        if (scoreWeight is null) score.weight!.normal_(0, backbone.Config.InitializerRange);
        else score.weight!.copy_(scoreWeight);
    }

    public CausalLanguageModel Backbone { get; }

    public int Eos { get; }

    public int Pad { get; }

    /// <summary>Backbone and head: what training updates (the whole model, as TRL's RewardTrainer without PEFT).</summary>
    public IReadOnlyList<Parameter> Parameters() => [.. Backbone.parameters(), .. score.parameters()];

    /// <summary>The score head alone (<c>score.weight</c>), what trains on a frozen body.</summary>
    public IReadOnlyList<Parameter> HeadParameters() => [.. score.parameters()];

    /// <summary>The scored sequence of a prompt's ids (the lab's prompts already open with EOS) and a completion's ids without its EOS.</summary>
    public int[] Sequence(IReadOnlyList<int> prompt, IReadOnlyList<int> completion)
    {
        int[] all = [.. prompt, .. completion, Eos];
        var max = Backbone.Config.MaxPositions;
        return all.Length <= max ? all : all[^max..];   // keep the end: the head reads the last position
    }

    /// <summary>(B) the reward of each sequence. Training or not is the caller's (<c>no_grad</c> to score).</summary>
    public Tensor Rewards(IReadOnlyList<int[]> sequences)
    {
        var n = sequences.Count;
        var width = sequences.Max(s => s.Length);
        var ids = new long[n * width];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < width; j++)
                ids[i * width + j] = j < sequences[i].Length ? sequences[i][j] : Pad;   // right padding: causal attention keeps it out of earlier positions
        var device = score.weight!.device;
        var input = tensor(ids, [n, width]).to(device);                                        // (B, T)
        var hidden = Backbone.HiddenStates(input);                                              // (B, T, C)
        var last = tensor(sequences.Select(s => (long)Math.Max(0, Array.FindLastIndex(s, t => t != Pad))).ToArray()).to(device)
            .view(n, 1, 1).expand(n, 1, hidden.shape[2]);                                       // (B, 1, C)
        var pooled = hidden.gather(1, last).squeeze(1);                                         // (B, C)
        return score.forward(pooled.to(score.weight.dtype)).squeeze(-1);                        // (B)
    }

    /// <summary>Scores in batches without gradients; the backbone is put in eval mode.</summary>
    public double[] Score(IReadOnlyList<int[]> sequences, int batchSize = 64)
    {
        Backbone.eval();
        var result = new double[sequences.Count];
        for (var start = 0; start < sequences.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var chunk = sequences.Skip(start).Take(batchSize).ToList();
            var values = Rewards(chunk).to(ScalarType.Float32).cpu().data<float>().ToArray();
            for (var i = 0; i < values.Length; i++) result[start + i] = values[i];
        }
        return result;
    }

    /// <summary>Writes the folder: the backbone's model files, the head, and <paramref name="tokenizerFolder"/>'s tokenizer files.</summary>
    public void Save(string folder, string tokenizerFolder)
    {
        ModelFolder.Save(Backbone, folder);
        SafetensorsFile.Write(Path.Combine(folder, ScoreFile), [KeyValuePair.Create(ScoreKey, score.weight!.detach().cpu())]);
        Tokenization.TokenizerFolderFiles.Copy(tokenizerFolder, folder);
    }

    /// <summary>Reads a folder <see cref="Save"/> wrote.</summary>
    public static RewardModel Load(string folder, int eos, int pad)
    {
        var scorePath = Path.Combine(folder, ScoreFile);
        if (!File.Exists(scorePath)) throw new FileNotFoundException($"{scorePath} is missing: {folder} is not a reward model folder (it has no score head)", scorePath);
        var (entries, dataStart) = SafetensorsFile.ReadHeader(scorePath);
        var entry = entries.FirstOrDefault(e => e.Name == ScoreKey)
            ?? throw new InvalidDataException($"{scorePath} holds no '{ScoreKey}' tensor");
        var backbone = ModelFolder.Load(folder);
        using var weight = SafetensorsFile.ReadFloat32(scorePath, entry, dataStart);
        if (weight.shape is not [1, var c] || c != backbone.Config.HiddenSize)
        {
            backbone.Dispose();
            throw new InvalidDataException($"{scorePath}: '{ScoreKey}' has shape [{string.Join(", ", weight.shape)}], the backbone needs [1, {backbone.Config.HiddenSize}]");
        }
        return new RewardModel(backbone, eos, pad, weight);
    }

    public void Dispose()
    {
        score.Dispose();
        Backbone.Dispose();
    }
}
