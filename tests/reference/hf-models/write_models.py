"""Writes tiny random model folders in Hugging Face's layout (config.json + safetensors, single, sharded,
F32/F16/BF16 on disk), one per architecture variant, and beside each `reference.json`: token ids, the
logits this reference computes on them (float32), a greedy continuation, and lm-evaluation-harness's
loglikelihood / is_greedy, rolling log-likelihoods and greedy generations of text requests through the folder's
tokenizer (a SentencePiece tokenizer.model with tokenizer_config.json and generation_config.json).

    /usr/bin/python3 tests/reference/hf-models/write_models.py OUT_DIR

The reference model reads back the folder it wrote through its own loader, so the weights it computes
with are exactly those on disk (BF16/F16 rounded), as any loader of the folder sees them.
"""
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_models  # noqa: E402
import lm_eval_reference  # noqa: E402
import safetensors_io  # noqa: E402

# Every folder gets a real tokenizer: the Llama-2-style SentencePiece fixture (BPE, byte fallback, 420 pieces) that
# ForgetLab's tokenizer tests check against spm_encode; vocab_size is at least its size.
TOKENIZER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "ForgetLab.Core.Tests", "Tokenizers",
                         "Fixtures", "sentencepiece", "llama2-style.model")

LLAMA = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 420, "hidden_size": 32,
         "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 4,
         "max_position_embeddings": 64, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu",
         "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": False, "initializer_range": 0.02}

VARIANTS = {
    # grouped-query attention (2 query heads per key/value head), untied head, F32, one file
    "llama-gqa": (dict(LLAMA, num_key_value_heads=2), torch.float32, 1),
    # llama3 RoPE scaling, head_dim apart from hidden/heads, tied head, attention and MLP biases
    "llama-llama3-rope-tied-biases": (dict(LLAMA, hidden_size=48, head_dim=16, num_key_value_heads=2, tie_word_embeddings=True,
                                           attention_bias=True, mlp_bias=True, rope_theta=500000.0,
                                           rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                                         "high_freq_factor": 4.0, "original_max_position_embeddings": 16}),
                                      torch.float32, 1),
    # linear RoPE scaling (older "type" key), BF16 on disk, sharded in three
    "llama-linear-rope-bf16-sharded": (dict(LLAMA, rope_scaling={"type": "linear", "factor": 2.0}), torch.bfloat16, 3),
    # Mistral-style config without a sliding window, F16 on disk
    "mistral-f16": (dict(LLAMA, architectures=["MistralForCausalLM"], model_type="mistral", num_key_value_heads=1,
                         sliding_window=None), torch.float16, 1),
    # Qwen2: biases on q/k/v, none on o; multi-query attention; tied; sharded
    "qwen2-tied-sharded": ({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": 424, "hidden_size": 32,
                            "intermediate_size": 40, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 1,
                            "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "hidden_act": "silu",
                            "tie_word_embeddings": True, "use_sliding_window": False, "sliding_window": 32},
                           torch.float32, 2),
    # Qwen3: q_norm/k_norm per head, head_dim apart from hidden/heads, GQA, BF16
    "qwen3-bf16": ({"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "vocab_size": 420, "hidden_size": 32,
                    "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                    "head_dim": 12, "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
                    "hidden_act": "silu", "attention_bias": False, "tie_word_embeddings": False},
                   torch.bfloat16, 1),
    # GPT-2 as Hugging Face writes it (no lm_head.weight: tied)
    "gpt2": ({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 420, "n_positions": 64, "n_embd": 32,
              "n_layer": 2, "n_head": 4, "layer_norm_epsilon": 1e-5, "initializer_range": 0.02},
             torch.float32, 1),
}


# tokenizer_config.json and generation_config.json per variant: GPT-2's folder adds no BOS (lm-eval then scores a
# context without one and starts rolling windows from the prefix token); Qwen2's stops at two ids.
TOKENIZER_CONFIG = {"gpt2": {"add_bos_token": False}}
GENERATION_CONFIG = {"qwen2-tied-sharded": {"bos_token_id": 1, "eos_token_id": [2, 5]}}

# lm-eval requests: a plain pair, the same with the space on the context (moved to the continuation), an empty
# context (the prefix token), digits, accents, CJK through byte fallback, a context past max_length (cut from the
# left), and per folder the reference's own greedy continuation of a prompt (so is_greedy can be true).
LONG = "the capital of france is paris and " * 9
REQUESTS = [
    ("The capital of France is", " Paris"),
    ("The capital of France is ", "Paris"),
    ("", "hello world"),
    ("Q: What is 27+15? A:", " 42"),
    ("café naïve", " résumé über"),
    ("日本語の", "テキスト"),
    (LONG, " the end"),
]
ROLLING = ["hello world", "numbers like 12, 345 and 6789 appear. " * 6]
PROMPTS = [("The capital of France is", 10), ("日本", 6)]


def lm_eval_results(folder, model, config):
    tokenizer = lm_eval_reference.LlamaStyleTokenizer(folder)
    lm = lm_eval_reference.HFLM(model, tokenizer, config.get("n_positions") or config["max_position_embeddings"])
    margins, generations = [], []
    for prompt, n in PROMPTS:
        tokens, text, margin = lm_eval_reference.generate(model, tokenizer, folder, prompt, n)
        generations.append({"prompt": prompt, "max_new_tokens": n, "tokens": tokens, "text": text})
        margins.append(margin)
    # The first prompt's greedy first token, as text, is a request too (is_greedy true when it re-encodes alike).
    piece = tokenizer.sp.id_to_piece(generations[0]["tokens"][0])
    requests = REQUESTS + [(PROMPTS[0][0], piece.replace("\u2581", " ") if piece.startswith("\u2581") else " " + generations[0]["text"])]
    scored = []
    for context, continuation in requests:
        logprob, is_greedy, margin = lm.loglikelihood(context, continuation)
        scored.append({"context": context, "continuation": continuation, "loglikelihood": logprob, "is_greedy": is_greedy})
        margins.append(margin)
    rolling = []
    for text in ROLLING:
        logprob, count = lm.loglikelihood_rolling(text)
        rolling.append({"text": text, "loglikelihood": logprob, "tokens": count})
    return {"requests": scored, "rolling": rolling, "generate": generations}, min(margins)


def write_tokenizer(folder, name):
    shutil.copyfile(TOKENIZER, os.path.join(folder, "tokenizer.model"))
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(dict({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}, **TOKENIZER_CONFIG.get(name, {})), f, indent=2)
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump(GENERATION_CONFIG.get(name, {"bos_token_id": 1, "eos_token_id": 2}), f, indent=2)


def randomise(model, generator):
    """Weights large enough that logits are far from uniform (so greedy paths are not near-ties):
    matrices N(0, 0.3), biases N(0, 0.1), norm weights 1 + N(0, 0.1)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            if p.dim() > 1:
                p.copy_(noise * 0.3)
            elif name.endswith("bias") and "ln_" not in name:
                p.copy_(noise * 0.1)
            else:
                p.copy_(1.0 + noise * 0.1)


def file_tensors(model, config):
    tensors = dict(model.state_dict())
    if config["model_type"] == "gpt2" or config.get("tie_word_embeddings", False):
        del tensors["lm_head.weight"]  # tied: Hugging Face's files hold the embedding only
    return tensors


def write_folder(folder, config, tensors, dtype, shards):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(dict(config, torch_dtype={torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16"}[dtype]), f, indent=2)
    if shards == 1:
        safetensors_io.save(os.path.join(folder, "model.safetensors"), tensors, dtype)
        return
    names = sorted(tensors)
    weight_map, total = {}, 0
    for i in range(shards):
        file = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[i::shards]}
        safetensors_io.save(os.path.join(folder, file), part, dtype)
        for n, t in part.items():
            weight_map[n] = file
            total += t.numel() * torch.finfo(dtype).bits // 8
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)


def read_folder(folder):
    index = os.path.join(folder, "model.safetensors.index.json")
    if not os.path.exists(index):
        return safetensors_io.load(os.path.join(folder, "model.safetensors"))
    with open(index) as f:
        files = sorted(set(json.load(f)["weight_map"].values()))
    out = {}
    for file in files:
        out.update(safetensors_io.load(os.path.join(folder, file)))
    return out


def load_reference(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    model = hf_models.build(config)
    loaded = {k: v.float() for k, v in read_folder(folder).items()}
    missing, unexpected = model.load_state_dict(loaded, strict=False)
    assert not unexpected and set(missing) <= {"lm_head.weight"}, (missing, unexpected)
    model.eval()
    return config, model


# Variants that also get a LoRA adapter in PEFT's layout (lora_B non-zero, so the adapter changes the logits).
LORA = {
    "llama-gqa": {"r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "v_proj", "down_proj"]},
    "qwen2-tied-sharded": {"r": 2, "lora_alpha": 16, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]},
    "qwen3-bf16": {"r": 4, "lora_alpha": 4, "target_modules": ["k_proj", "up_proj"]},
    "gpt2": {"r": 4, "lora_alpha": 8, "target_modules": ["c_attn", "mlp.c_proj"]},
}


def write_lora(folder, config, model, settings, generator, input_ids):
    """adapter/: adapter_config.json and adapter_model.safetensors as PEFT saves them, and the logits
    of the base with the adapter applied."""
    adapter = os.path.join(folder, "adapter")
    os.makedirs(adapter, exist_ok=True)
    tensors = {}
    for name, m in model.named_modules():
        if isinstance(m, (torch.nn.Linear, hf_models.Conv1D)) and name != "lm_head" and \
                any(name == t or name.endswith("." + t) for t in settings["target_modules"]):
            fin, fout = hf_models.features(m)
            tensors[f"base_model.model.{name}.lora_A.weight"] = torch.randn((settings["r"], fin), generator=generator) * 0.3
            tensors[f"base_model.model.{name}.lora_B.weight"] = torch.randn((fout, settings["r"]), generator=generator) * 0.3
    safetensors_io.save(os.path.join(adapter, "adapter_model.safetensors"), tensors)
    with open(os.path.join(adapter, "adapter_config.json"), "w") as f:
        json.dump({"peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": folder,
                   "r": settings["r"], "lora_alpha": settings["lora_alpha"], "lora_dropout": 0.0,
                   "target_modules": settings["target_modules"], "fan_in_fan_out": config["model_type"] == "gpt2",
                   "bias": "none", "use_rslora": False, "inference_mode": True}, f, indent=2)
    hf_models.apply_lora(model, settings["target_modules"], settings["r"], settings["lora_alpha"],
                         safetensors_io.load(os.path.join(adapter, "adapter_model.safetensors")))
    with torch.no_grad():
        return model(input_ids)


def main(out):
    torch.set_num_threads(1)
    for name, (config, dtype, shards) in VARIANTS.items():
        folder = os.path.join(out, name)
        # A seed whose greedy path has no near-tie (margin ≥ 1e-3), so token equality is a fair test.
        for seed in range(100):
            generator = torch.Generator().manual_seed(1000 + seed)
            model = hf_models.build(config)
            randomise(model, generator)
            write_folder(folder, config, file_tensors(model, config), dtype, shards)
            write_tokenizer(folder, name)
            config_on_disk, reference = load_reference(folder)
            vocab = config["vocab_size"]
            input_ids = torch.randint(0, vocab, (2, 12), generator=generator)
            prompt = torch.randint(0, vocab, (5,), generator=generator).tolist()
            continuation, margin = hf_models.greedy(reference, prompt, 12)
            lm_eval, lm_eval_margin = lm_eval_results(folder, reference, config)
            if margin >= 1e-3 and lm_eval_margin >= 1e-3:
                break
        with torch.no_grad():
            logits = reference(input_ids)
        result = {"seed": 1000 + seed, "input_ids": input_ids.tolist(), "logits": logits.tolist(),
                  "prompt": prompt, "greedy": continuation, "greedy_min_margin": margin, "lm_eval": lm_eval}
        if name in LORA:
            result["lora_logits"] = write_lora(folder, config, reference, LORA[name], generator, input_ids).tolist()
        with open(os.path.join(folder, "reference.json"), "w") as f:
            json.dump(result, f)
        print(f"{name}: seed {1000 + seed}, greedy margin {margin:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
