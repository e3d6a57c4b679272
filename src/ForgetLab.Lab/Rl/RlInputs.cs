namespace ForgetLab.Lab.Rl;

/// <summary>A prompt the policy answers: its token ids (what generation continues) and the reference answer the correctness reward compares with.</summary>
public sealed record RlPrompt(int[] Tokens, string Reference);

/// <summary>A DPO preference pair: the prompt's ids, and the preferred and the dispreferred completion's ids.</summary>
public sealed record PreferencePair(int[] Prompt, int[] Chosen, int[] Rejected);
