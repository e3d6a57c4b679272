namespace ForgetLab.Lab.Evaluated;

/// <summary>
/// An evaluation-only spec names models that cannot be evaluated on its base: every problem, one per line, each
/// naming the entry (<c>evaluate[1] (lora-b)</c>) and the file and field or tensor. Thrown before anything is evaluated.
/// </summary>
public sealed class EvaluateRefusedException(IReadOnlyList<string> problems) : Exception(string.Join('\n', problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
