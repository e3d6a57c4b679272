using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// The tokenizer of a base's folder, whichever kind it is: ForgetLab's word-level <c>vocab.json</c>, or a Hugging
/// Face tokenizer (<c>tokenizer.json</c> or <c>tokenizer.model</c> with its configs, <see cref="PretrainedTokenizer"/>);
/// and the training of a subword tokenizer on a built-in world's text for <c>base.tokenizer</c>.
/// </summary>
public static class BaseTokenizers
{
    /// <summary>
    /// Trains the <paramref name="spec"/> tokenizer on the world's pre-training text into <paramref name="folder"/>
    /// (its vocabulary file and transformers' configs) and loads it back from there, as every later run will.
    /// </summary>
    public static ITokenizer Train(TokenizerSpec spec, BuiltInWorld world, string folder, int modelMaxLength) =>
        Train(spec, world.Corpus.Documents, world.BuildTokenizer, folder, modelMaxLength);

    /// <summary>
    /// Trains the <paramref name="spec"/> tokenizer on <paramref name="documents"/> (a world's text, or the user's
    /// <c>base.pretrain.corpus</c>); the word kind is <paramref name="words"/>.
    /// </summary>
    public static ITokenizer Train(TokenizerSpec spec, IReadOnlyList<string> documents, Func<WordTokenizer> words, string folder, int modelMaxLength)
    {
        Directory.CreateDirectory(folder);
        switch (spec.Kind)
        {
            case TokenizerKind.SentencePiece:
                SentencePieceTrainer.Train(documents, spec.VocabSize, Path.Combine(folder, SentencePieceTokenizer.FileName));
                TokenizerFolderFiles.WriteConfigs(folder, SentencePieceTokenizer.Load(Path.Combine(folder, SentencePieceTokenizer.FileName)),
                    ("<s>", "</s>", "<unk>", null), "LlamaTokenizer", addBos: true, modelMaxLength);
                break;
            case TokenizerKind.File:
                // The user's tokenizer.json, with its tokenizer_config.json (special tokens, chat template) when it has one.
                var source = spec.File ?? throw new ArgumentException("base.tokenizer.path is required for kind: file", nameof(spec));
                File.Copy(source.FullPath, Path.Combine(folder, HuggingFaceTokenizer.FileName), overwrite: true);
                var config = Path.Combine(Path.GetDirectoryName(source.FullPath)!, TokenizerConfig.FileName);
                if (File.Exists(config)) File.Copy(config, Path.Combine(folder, TokenizerConfig.FileName), overwrite: true);
                break;
            case TokenizerKind.Bpe:
                var json = Path.Combine(folder, HuggingFaceTokenizer.FileName);
                ByteLevelBpeTrainer.Train(documents, spec.VocabSize).Write(json);
                // GPT-2's convention: one <|endoftext|> is BOS, EOS and the unknown token (byte-level BPE never needs it).
                var end = ByteLevelBpeTrainer.EndOfText;
                TokenizerFolderFiles.WriteConfigs(folder, HuggingFaceTokenizer.Load(json), (end, end, end, null), "GPT2TokenizerFast", addBos: false, modelMaxLength);
                break;
            default:
                var vocabulary = words();
                vocabulary.Save(Path.Combine(folder, ModelFiles.VocabFile));
                return vocabulary;
        }

        return Load(folder, vocabSize: null);
    }

    /// <summary>
    /// The folder's tokenizer; with <paramref name="vocabSize"/> (config.json's) one that does not fit the model is
    /// refused naming its file (an id, a special id or a stop id not below the vocabulary size).
    /// </summary>
    public static ITokenizer Load(string folder, int? vocabSize)
    {
        var vocab = Path.Combine(folder, ModelFiles.VocabFile);
        ITokenizer tokenizer;
        string? problem;
        if (File.Exists(vocab))
        {
            var words = WordTokenizer.Load(vocab);
            (tokenizer, problem) = (words, vocabSize is { } v && words.VocabSize > v
                ? $"{ModelFiles.VocabFile}: ids reach {words.VocabSize - 1} but config.json's vocab_size is {v}" : null);
        }
        else if (PretrainedTokenizer.Exists(folder))
        {
            PretrainedTokenizer pretrained;
            try
            {
                pretrained = PretrainedTokenizer.Load(folder);
            }
            catch (TokenizerFormatException e)
            {
                throw new InvalidDataException($"{folder}: {e.Message}", e);
            }
            (tokenizer, problem) = (pretrained, vocabSize is { } v ? pretrained.CheckFits(v) : null);
        }
        else
        {
            throw new InvalidDataException(
                $"{folder}: no tokenizer ({HuggingFaceTokenizer.FileName}, {SentencePieceTokenizer.FileName} or ForgetLab's word-level {ModelFiles.VocabFile})");
        }

        return problem is null ? tokenizer : throw new InvalidDataException($"{folder}: {problem}");
    }
}
