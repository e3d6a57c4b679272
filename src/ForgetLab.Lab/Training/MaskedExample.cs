namespace ForgetLab.Lab.Training;

/// <summary>A fine-tuning example as token ids, each marked whether the loss falls on it.</summary>
public sealed record MaskedExample(int[] Ids, bool[] Loss)
{
    /// <summary>Ids that carry loss.</summary>
    public int LossTokens => Loss.Count(l => l);
}
