using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>
/// Reward models trained inline (<c>{ kind: reward_model, train: … }</c>) are trained once and kept under
/// <c>{cache}/reward-models/{key}/</c>, the key a SHA-256 over the base model's content hash, the training settings,
/// the world's facts and <see cref="Revision"/> (raised when training changes what it produces). Every run of a grid,
/// and every later spec, that declares the same one reads it back. A folder is written under a temporary name and moved
/// into place whole, so a crash mid-training leaves no half model that a later run would take for trained.
/// </summary>
public sealed class RewardModelCache(string cacheDirectory)
{
    public const string FolderName = "reward-models";
    public const string InfoFile = "reward_model.json";
    private const int Revision = 3;   // 2: honest pairs balance the forms, and wrong answers stay on their side of the split; 3: the head reads the last non-pad token (EOS is the pad where a tokenizer has none)

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The reward model's folder and its record, and whether it was read from the cache rather than trained now.</summary>
    public (string Folder, RewardModelInfo Info, bool Cached) GetOrTrain(
        RewardModelTraining spec, string baseFolder, ITokenizer tokenizer, WorldFacts facts, Action<string>? log = null)
    {
        var baseHash = ModelFolder.ContentHash(baseFolder);
        var folder = Path.Combine(cacheDirectory, FolderName, Key(spec, baseHash, facts));
        if (File.Exists(Path.Combine(folder, InfoFile))) return (folder, ReadInfo(folder), true);

        var (model, info) = RewardModelTrainer.Train(spec, baseFolder, baseHash, tokenizer, facts, log);
        using (model)
        {
            var temporary = folder + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
            model.Save(temporary, baseFolder);
            File.WriteAllText(Path.Combine(temporary, InfoFile), JsonSerializer.Serialize(info, Indented));
            try
            {
                Directory.Move(temporary, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, InfoFile)))
            {
                Directory.Delete(temporary, recursive: true);   // another run trained the same one meanwhile: keep theirs
                return (folder, ReadInfo(folder), true);
            }
        }
        return (folder, info, false);
    }

    public static RewardModelInfo ReadInfo(string folder)
    {
        var path = Path.Combine(folder, InfoFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: {folder} is not a reward model folder", path);
        return JsonSerializer.Deserialize<RewardModelInfo>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
    }

    private static string Key(RewardModelTraining spec, string baseHash, WorldFacts facts)
    {
        var capitals = string.Join('\n', facts.Countries.Select(c => c.Name + "\t" + c.Capital));
        var text = JsonSerializer.Serialize(new { Revision, baseHash, spec, capitals });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
