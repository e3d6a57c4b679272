namespace ForgetLab.Lab.Rl.RewardModels;

/// <summary>A preference pair in text, as TRL's explicit-prompt format (<c>prompt</c>, <c>chosen</c>, <c>rejected</c>), with the fact it was made from.</summary>
public sealed record TextPreferencePair(string Prompt, string Chosen, string Rejected, string Fact);
