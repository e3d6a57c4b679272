using static TorchSharp.torch;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// A term added to the language-model loss each step (EWC, L2-SP, distillation). Built from Core's
/// <c>RegularizerSpec</c> by <see cref="Regularizers"/>; the terms of a run are summed into <c>Trainer.ExtraLoss</c>.
/// </summary>
public interface IRegularizer
{
    /// <summary>This step's term (differentiable).</summary>
    Tensor Loss();

    /// <summary>Called when training resumes at <paramref name="step"/>, for a term that draws its own batches.</summary>
    void ResumeAt(int step)
    {
    }
}
