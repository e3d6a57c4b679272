using ForgetLab.Core.Baselines;

namespace ForgetLab.Lab.Baselines;

/// <summary>
/// Which base model the job's baseline is for, whether every tenant shares it (a base of the
/// built-in world), and the base's folder (config.json, model.safetensors, vocab.json).
/// </summary>
public sealed record BaselineRequest(string ModelHash, bool Shared, IReadOnlyList<BaselineSuiteKey> Suites, string BaseFolder);
