using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// Trains a SentencePiece BPE <c>tokenizer.model</c> with Debian's <c>spm_train</c> (package <c>sentencepiece</c>),
/// with the options Llama-2's tokenizer was trained with: BPE, identity normalization, the dummy prefix, whitespace
/// kept as it is, digits split, byte fallback, and Llama's special ids (&lt;unk&gt; 0, &lt;s&gt; 1, &lt;/s&gt; 2, no pad).
/// One thread and no sampling or shuffling, so the same text gives the same model.
/// </summary>
public static class SentencePieceTrainer
{
    public const string Program = "spm_train";
    public const string Package = "sentencepiece";

    // sentencepiece skips sentences longer than max_sentence_length bytes (default 4192); lines are split below it.
    private const int MaxSentenceBytes = 4192;

    /// <summary>Trains on <paramref name="lines"/> (one sentence each) and writes the model to <paramref name="modelPath"/>.</summary>
    public static void Train(IEnumerable<string> lines, int vocabSize, string modelPath) => Train(lines, vocabSize, modelPath, Program);

    /// <param name="program">The trainer to run; tests name one that is not installed.</param>
    internal static void Train(IEnumerable<string> lines, int vocabSize, string modelPath, string program)
    {
        var work = Directory.CreateTempSubdirectory("forgetlab-spm-");
        try
        {
            var input = Path.Combine(work.FullName, "corpus.txt");
            File.WriteAllLines(input, lines.SelectMany(l => l.Split('\n')).Where(l => l.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(l) < MaxSentenceBytes));
            string[] options =
            [
                "--input=corpus.txt", "--model_prefix=tokenizer", "--model_type=bpe", $"--vocab_size={vocabSize.ToString(CultureInfo.InvariantCulture)}",
                "--num_threads=1", "--input_sentence_size=0", "--shuffle_input_sentence=false",
                "--normalization_rule_name=identity", "--character_coverage=1.0", "--byte_fallback=true", "--split_digits=true",
                "--remove_extra_whitespaces=false", "--allow_whitespace_only_pieces=true", "--add_dummy_prefix=true",
                "--unk_id=0", "--bos_id=1", "--eos_id=2", "--pad_id=-1",
            ];
            var start = new ProcessStartInfo(program) { WorkingDirectory = work.FullName, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var option in options) start.ArgumentList.Add(option);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException($"{Program} did not start");
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException(
                    $"base.tokenizer.kind 'sentencepiece' trains with {program}, which is not installed: install Debian's '{Package}' package (apt-get install {Package})", e);
            }

            using (process)
            {
                // Both streams are read at once so neither pipe fills and blocks the trainer.
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    var log = (stderr.Result + stdout.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3);
                    throw new InvalidOperationException($"{Program} failed (exit {process.ExitCode}) for base.tokenizer.vocab_size {vocabSize}: {string.Join(" | ", log)}");
                }
            }

            File.Copy(Path.Combine(work.FullName, "tokenizer.model"), modelPath, overwrite: true);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
