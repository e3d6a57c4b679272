namespace ForgetLab.Core.Specs;

/// <summary>Tokenizer a built-in world's base is pre-trained with (YAML: word | sentencepiece | bpe | file).</summary>
public enum TokenizerKind
{
    /// <summary>The world's word-level vocabulary (<c>vocab.json</c>): the default.</summary>
    Word,

    /// <summary>A SentencePiece BPE model trained on the world's text by Debian's <c>spm_train</c> (<c>tokenizer.model</c>), Llama-2's options.</summary>
    SentencePiece,

    /// <summary>A byte-level BPE trained on the world's text as Hugging Face tokenizers' BpeTrainer does (<c>tokenizer.json</c>), GPT-2's pre-tokenizer.</summary>
    Bpe,

    /// <summary>An existing Hugging Face <c>tokenizer.json</c> the spec names (<c>base.tokenizer.path</c>), with the <c>tokenizer_config.json</c> beside it when there is one.</summary>
    File,
}
