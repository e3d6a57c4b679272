namespace ForgetLab.Core.Specs;

/// <summary>What a spec field takes from a registered data set, so the right files of it count when one is named or left to be chosen.</summary>
public enum DataRefKind
{
    /// <summary>A JSONL data file: fine-tuning examples or a corpus (<c>target.data</c>, <c>train.replay.corpus</c>, …).</summary>
    Data,

    /// <summary>A suite header (<c>suites[i]</c>): a ForgetLab suite or an lm-eval task YAML.</summary>
    Suite,

    /// <summary>An existing Hugging Face tokenizer (<c>base.tokenizer.path</c> of <c>kind: file</c>): a <c>.json</c> file.</summary>
    Tokenizer,

    /// <summary>A Jinja chat template (<c>target.chat_template</c>): a <c>.jinja</c> file.</summary>
    ChatTemplate,
}
