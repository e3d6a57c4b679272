namespace ForgetLab.Lab.World;

/// <summary>A fine-tuning example: the loss is taken on <see cref="Completion"/> only, which follows the prompt after one space.</summary>
public sealed record PromptCompletion(string Prompt, string Completion)
{
    public string Text => $"{Prompt} {Completion}";
}
