namespace ForgetLab.Lab.Training;

/// <summary>A fine-tuning example as token ids, each marked whether the loss falls on it.</summary>
public sealed record MaskedExample(int[] Ids, bool[] Loss)
{
    /// <summary>Ids that carry loss.</summary>
    public int LossTokens => Loss.Count(l => l);

    /// <summary>A prompt followed by its completion, the loss on the completion only: the model learns answers, not questions.</summary>
    public static MaskedExample OfCompletion(int[] prompt, int[] completion) =>
        new([.. prompt, .. completion], [.. Enumerable.Repeat(false, prompt.Length), .. Enumerable.Repeat(true, completion.Length)]);
}
