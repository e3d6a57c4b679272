using System.Security.Cryptography;
using System.Text.Json;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Cache key of a pre-trained base: SHA-256 over a canonical JSON of exactly the fields that
/// determine the weights (world, model config, pre-training settings, seed), first 16 hex digits.
/// Names, targets, suites and grids do not enter it, so experiments share one base.
/// Bump <see cref="Version"/> when the pre-training code changes what those fields produce.
/// </summary>
public static class SpecHash
{
    public const int Version = 1;

    public static string ForBase(LabSpec spec) => ForBase(spec.Base, spec.Seed);

    public static string ForBase(BaseModelSpec baseModel, int seed) =>
        Hash(CanonicalBaseJson(baseModel, seed));

    /// <summary>The hashed text: fixed key order, invariant round-trip numbers, no whitespace.</summary>
    public static string CanonicalBaseJson(BaseModelSpec baseModel, int seed)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", Version);
            if (baseModel.ModelRef is { } modelRef)
            {
                // A registered model is not trained here; the registry's name is its identity within the tenant.
                json.WriteString("model_ref", modelRef);
            }
            else if (baseModel.Path is { } path)
            {
                // A loaded base is not trained here; its folder is its identity.
                json.WriteString("path", path);
            }
            else
            {
                json.WriteString("world", baseModel.World);
                json.WriteNumber("seed", seed);
                // Written only when not the default, so every base cached before these fields existed keeps its hash.
                if (baseModel.Architecture != BaseArchitecture.Gpt2)
                    json.WriteString("architecture", SpecNames.Of(baseModel.Architecture));
                if (!baseModel.Tokenizer.IsWord)
                {
                    json.WriteStartObject("tokenizer");
                    json.WriteString("kind", SpecNames.Of(baseModel.Tokenizer.Kind));
                    if (baseModel.Tokenizer.File is { Sha256: { } tokenizer }) json.WriteString("sha256", tokenizer);
                    else json.WriteNumber("vocab_size", baseModel.Tokenizer.VocabSize);
                    // Documents framed as tokenizer(text) frames them, then EOS (DocumentFraming); bases trained EOS first lack this key.
                    json.WriteString("documents", "special_tokens");
                    json.WriteEndObject();
                }
                var m = baseModel.Model;
                json.WriteStartObject("model");
                json.WriteNumber("n_layer", m.NLayer);
                json.WriteNumber("n_head", m.NHead);
                if (m.NKvHead is { } kv) json.WriteNumber("n_kv_head", kv);
                json.WriteNumber("n_embd", m.NEmbd);
                json.WriteNumber("n_ctx", m.NCtx);
                json.WriteNumber("dropout", m.Dropout);
                json.WriteEndObject();
                var p = baseModel.Pretrain;
                json.WriteStartObject("pretrain");
                json.WriteNumber("steps", p.Steps);
                json.WriteNumber("batch_size", p.BatchSize);
                json.WriteNumber("lr", p.Lr);
                json.WriteNumber("warmup_steps", p.WarmupSteps);
                json.WriteString("schedule", SpecNames.Of(p.Schedule));
                json.WriteNumber("weight_decay", p.WeightDecay);
                json.WriteNumber("grad_clip", p.GradClip);
                // The corpus's bytes, not its path, are what the weights depend on.
                if (p.Corpus is { Sha256: { } corpus }) json.WriteString("corpus_sha256", corpus);
                // Unresolved (the server names a registered data set it does not read): its name within the tenant.
                else if (p.Corpus is { Ref: { } named }) json.WriteString("corpus_data_ref", named.Typed);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Hash(string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))[..16];
}
