"""An independent reference for ForgetLab's architectures, written from Hugging Face transformers'
published modeling code (models/llama/modeling_llama.py, models/qwen2/modeling_qwen2.py,
models/qwen3/modeling_qwen3.py, models/gpt2/modeling_gpt2.py, modeling_rope_utils.py), eager
attention, float32. It runs on Debian's python3-torch (1.13), which has no transformers or
safetensors package, so the safetensors format is read and written here too (safetensors_io.py).
"""
import math

import torch
from torch import nn
import torch.nn.functional as F


# ---- Llama family (llama, mistral, qwen2, qwen3) ----

class RMSNorm(nn.Module):
    """LlamaRMSNorm: computed in float32, cast back, then scaled."""

    def __init__(self, hidden_size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


def head_dim_of(config):
    return config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]


def rope_inv_freq(config):
    """modeling_rope_utils: _compute_default_rope_parameters, _linear_scaling, _llama3."""
    base = config.get("rope_theta", 10000.0)
    dim = head_dim_of(config)
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    scaling = config.get("rope_scaling")
    rope_type = "default" if scaling is None else scaling.get("rope_type", scaling.get("type"))
    if rope_type == "default":
        return inv_freq
    if rope_type == "linear":
        return inv_freq / scaling["factor"]
    if rope_type == "llama3":
        factor = scaling["factor"]
        low_freq_factor = scaling["low_freq_factor"]
        high_freq_factor = scaling["high_freq_factor"]
        old_context_len = scaling["original_max_position_embeddings"]
        low_freq_wavelen = old_context_len / low_freq_factor
        high_freq_wavelen = old_context_len / high_freq_factor
        wavelen = 2 * math.pi / inv_freq
        inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
        smooth_factor = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
        smoothed_inv_freq = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
        is_medium_freq = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
        return torch.where(is_medium_freq, smoothed_inv_freq, inv_freq_llama)
    raise ValueError(f"rope_type {rope_type}")


class RotaryEmbedding(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.register_buffer("inv_freq", rope_inv_freq(config), persistent=False)
        self.attention_scaling = 1.0

    @torch.no_grad()
    def forward(self, x, position_ids):
        inv_freq_expanded = self.inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1)
        position_ids_expanded = position_ids[:, None, :].float()
        freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos = emb.cos() * self.attention_scaling
        sin = emb.sin() * self.attention_scaling
        return cos.to(dtype=x.dtype), sin.to(dtype=x.dtype)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin, unsqueeze_dim=1):
    cos = cos.unsqueeze(unsqueeze_dim)
    sin = sin.unsqueeze(unsqueeze_dim)
    return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)


def repeat_kv(hidden_states, n_rep):
    batch, num_key_value_heads, slen, head_dim = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    hidden_states = hidden_states[:, :, None, :, :].expand(batch, num_key_value_heads, n_rep, slen, head_dim)
    return hidden_states.reshape(batch, num_key_value_heads * n_rep, slen, head_dim)


def eager_attention_forward(query, key, value, attention_mask, scaling, num_key_value_groups):
    key_states = repeat_kv(key, num_key_value_groups)
    value_states = repeat_kv(value, num_key_value_groups)
    attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
    attn_weights = attn_weights + attention_mask
    attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_output = torch.matmul(attn_weights, value_states)
    return attn_output.transpose(1, 2).contiguous()


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        model_type = config["model_type"]
        self.head_dim = head_dim_of(config)
        heads, kv_heads = config["num_attention_heads"], config.get("num_key_value_heads") or config["num_attention_heads"]
        self.num_key_value_groups = heads // kv_heads
        self.scaling = self.head_dim ** -0.5
        hidden = config["hidden_size"]
        attention_bias = config.get("attention_bias", False)
        qkv_bias = True if model_type == "qwen2" else attention_bias  # Qwen2Attention: bias=True on q/k/v
        o_bias = False if model_type == "qwen2" else attention_bias   # ... and bias=False on o_proj
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=qkv_bias)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=qkv_bias)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=qkv_bias)
        self.o_proj = nn.Linear(heads * self.head_dim, hidden, bias=o_bias)
        if model_type == "qwen3":  # Qwen3Attention: RMSNorm on each head of q and k
            self.q_norm = RMSNorm(self.head_dim, config.get("rms_norm_eps", 1e-6))
            self.k_norm = RMSNorm(self.head_dim, config.get("rms_norm_eps", 1e-6))
        else:
            self.q_norm = self.k_norm = None

    def forward(self, hidden_states, position_embeddings, attention_mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        q = self.q_proj(hidden_states).view(hidden_shape)
        k = self.k_proj(hidden_states).view(hidden_shape)
        if self.q_norm is not None:
            q, k = self.q_norm(q), self.k_norm(k)
        query_states = q.transpose(1, 2)
        key_states = k.transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        cos, sin = position_embeddings
        query_states, key_states = apply_rotary_pos_emb(query_states, key_states, cos, sin)
        attn_output = eager_attention_forward(query_states, key_states, value_states, attention_mask,
                                              self.scaling, self.num_key_value_groups)
        attn_output = attn_output.reshape(*input_shape, -1).contiguous()
        return self.o_proj(attn_output)


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        hidden, inter = config["hidden_size"], config["intermediate_size"]
        bias = config.get("mlp_bias", False) if config["model_type"] == "llama" else False
        self.gate_proj = nn.Linear(hidden, inter, bias=bias)
        self.up_proj = nn.Linear(hidden, inter, bias=bias)
        self.down_proj = nn.Linear(inter, hidden, bias=bias)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        eps = config.get("rms_norm_eps", 1e-6)
        self.self_attn = Attention(config)
        self.mlp = MLP(config)
        self.input_layernorm = RMSNorm(config["hidden_size"], eps)
        self.post_attention_layernorm = RMSNorm(config["hidden_size"], eps)

    def forward(self, hidden_states, position_embeddings, attention_mask):
        residual = hidden_states
        hidden_states = self.input_layernorm(hidden_states)
        hidden_states = self.self_attn(hidden_states, position_embeddings, attention_mask)
        hidden_states = residual + hidden_states
        residual = hidden_states
        hidden_states = self.post_attention_layernorm(hidden_states)
        hidden_states = self.mlp(hidden_states)
        return residual + hidden_states


class Backbone(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config["vocab_size"], config["hidden_size"])
        self.layers = nn.ModuleList([DecoderLayer(config) for _ in range(config["num_hidden_layers"])])
        self.norm = RMSNorm(config["hidden_size"], config.get("rms_norm_eps", 1e-6))
        self.rotary_emb = RotaryEmbedding(config)

    def forward(self, input_ids):
        hidden_states = self.embed_tokens(input_ids)
        seq = input_ids.shape[1]
        position_ids = torch.arange(seq).unsqueeze(0)
        # The causal mask as transformers builds it: min-float above the diagonal.
        mask = torch.full((seq, seq), torch.finfo(hidden_states.dtype).min).triu(1)[None, None]
        position_embeddings = self.rotary_emb(hidden_states, position_ids)
        for layer in self.layers:
            hidden_states = layer(hidden_states, position_embeddings, mask)
        return self.norm(hidden_states)


class LlamaForCausalLM(nn.Module):
    """LlamaForCausalLM / MistralForCausalLM / Qwen2ForCausalLM / Qwen3ForCausalLM."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.model = Backbone(config)
        self.lm_head = nn.Linear(config["hidden_size"], config["vocab_size"], bias=False)
        if config.get("tie_word_embeddings", False):
            self.lm_head.weight = self.model.embed_tokens.weight

    def forward(self, input_ids):
        return self.lm_head(self.model(input_ids))


# ---- GPT-2 ----

class Conv1D(nn.Module):
    def __init__(self, nf, nx):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        size_out = x.size()[:-1] + (self.weight.size(-1),)
        return torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight).view(size_out)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Gpt2Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_dim = config["n_embd"]
        self.num_heads = config["n_head"]
        self.head_dim = self.embed_dim // self.num_heads
        self.c_attn = Conv1D(3 * self.embed_dim, self.embed_dim)
        self.c_proj = Conv1D(self.embed_dim, self.embed_dim)

    def forward(self, hidden_states):
        b, t, _ = hidden_states.shape
        query, key, value = self.c_attn(hidden_states).split(self.embed_dim, dim=2)
        shape = (b, t, self.num_heads, self.head_dim)
        query, key, value = (s.view(shape).transpose(1, 2) for s in (query, key, value))
        attn_weights = torch.matmul(query, key.transpose(-1, -2)) / math.sqrt(self.head_dim)
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
        attn_weights = torch.where(causal, attn_weights, torch.tensor(torch.finfo(attn_weights.dtype).min))
        attn_weights = nn.functional.softmax(attn_weights, dim=-1)
        out = torch.matmul(attn_weights, value).transpose(1, 2).reshape(b, t, self.embed_dim)
        return self.c_proj(out)


class Gpt2Mlp(nn.Module):
    def __init__(self, config):
        super().__init__()
        inner = config.get("n_inner") or 4 * config["n_embd"]
        self.c_fc = Conv1D(inner, config["n_embd"])
        self.c_proj = Conv1D(config["n_embd"], inner)

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class Gpt2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        eps = config.get("layer_norm_epsilon", 1e-5)
        self.ln_1 = nn.LayerNorm(config["n_embd"], eps=eps)
        self.attn = Gpt2Attention(config)
        self.ln_2 = nn.LayerNorm(config["n_embd"], eps=eps)
        self.mlp = Gpt2Mlp(config)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt2Transformer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config["vocab_size"], config["n_embd"])
        self.wpe = nn.Embedding(config["n_positions"], config["n_embd"])
        self.h = nn.ModuleList([Gpt2Block(config) for _ in range(config["n_layer"])])
        self.ln_f = nn.LayerNorm(config["n_embd"], eps=config.get("layer_norm_epsilon", 1e-5))

    def forward(self, input_ids):
        pos = torch.arange(input_ids.shape[1]).unsqueeze(0)
        x = self.wte(input_ids) + self.wpe(pos)
        for block in self.h:
            x = block(x)
        return self.ln_f(x)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = Gpt2Transformer(config)
        self.lm_head = nn.Linear(config["n_embd"], config["vocab_size"], bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # GPT-2 always ties

    def forward(self, input_ids):
        return self.lm_head(self.transformer(input_ids))


# ---- LoRA, as PEFT's LoraLayer computes it (peft/tuners/lora/layer.py, Linear.forward) ----

class LoraLinear(nn.Module):
    """result = base_layer(x) + lora_B(lora_A(dropout(x))) * scaling, scaling = lora_alpha / r
    (lora_alpha / sqrt(r) with use_rslora). The same on GPT-2's Conv1D: fan_in_fan_out only changes
    how PEFT merges, not the forward."""

    def __init__(self, base_layer, in_features, out_features, r, lora_alpha, use_rslora=False):
        super().__init__()
        self.base_layer = base_layer
        self.lora_A = nn.Linear(in_features, r, bias=False)
        self.lora_B = nn.Linear(r, out_features, bias=False)
        self.scaling = lora_alpha / (math.sqrt(r) if use_rslora else r)

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(x)) * self.scaling


def features(layer):
    if isinstance(layer, nn.Linear):
        return layer.in_features, layer.out_features
    return layer.weight.shape[0], layer.weight.shape[1]  # Conv1D stores (in, out)


def apply_lora(model, target_modules, r, lora_alpha, tensors, use_rslora=False):
    """Wraps every Linear/Conv1D whose name matches PEFT's rule (equal, or ends with "." + name; the
    output layer never) and loads lora_A/lora_B from `tensors`, keyed as PEFT saves them:
    base_model.model.<module path>.lora_A.weight."""
    names = [n for n, m in model.named_modules() if isinstance(m, (nn.Linear, Conv1D)) and n != "lm_head"
             and any(n == t or n.endswith("." + t) for t in target_modules)]
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        base = getattr(parent, child)
        fin, fout = features(base)
        wrapped = LoraLinear(base, fin, fout, r, lora_alpha, use_rslora)
        with torch.no_grad():
            wrapped.lora_A.weight.copy_(tensors[f"base_model.model.{name}.lora_A.weight"])
            wrapped.lora_B.weight.copy_(tensors[f"base_model.model.{name}.lora_B.weight"])
        setattr(parent, child, wrapped)
    return names


def build(config):
    return GPT2LMHeadModel(config) if config["model_type"] == "gpt2" else LlamaForCausalLM(config)


@torch.no_grad()
def greedy(model, prompt, new_tokens):
    """Greedy decoding without a KV cache: the whole sequence through the model at every step. Also
    returns the smallest margin between the best and second-best logit, so the writer can refuse
    a model whose greedy path hangs on a near-tie."""
    ids = list(prompt)
    margin = float("inf")
    for _ in range(new_tokens):
        logits = model(torch.tensor([ids]))[0, -1]
        top = torch.topk(logits, 2).values
        margin = min(margin, float(top[0] - top[1]))
        ids.append(int(torch.argmax(logits)))
    return ids[len(prompt):], margin
