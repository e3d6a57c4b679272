using ForgetLab.Lab.Model;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>
/// Distillation from the frozen base on general text: β · T² · mean over loss positions of
/// KL(softmax(z_base/T) ‖ softmax(z_model/T)), on one batch of <paramref name="general"/> per call.
/// The teacher is a frozen copy (<see cref="FrozenCopy"/>), evaluated under no_grad. Like
/// <see cref="ReplayBatches"/>, the n-th call re-seeds the general source from (seed, n); after a
/// resume set <see cref="BatchesDrawn"/> to the resumed step. Plug <see cref="Loss"/> into <c>Trainer.ExtraLoss</c>.
/// </summary>
public sealed class Distillation(CausalLanguageModel student, CausalLanguageModel teacher, IBatchSource general, int batchSize, double beta, double temperature, ulong seed) : IRegularizer
{
    public double Beta => beta;

    public double Temperature => temperature;

    /// <summary>Calls of <see cref="Loss"/> so far (one per training step).</summary>
    public ulong BatchesDrawn { get; set; }

    public void ResumeAt(int step) => BatchesDrawn = (ulong)step;

    public Tensor Loss()
    {
        general.SamplerState = ReplayBatches.Derive(seed, BatchesDrawn++);
        var (input, target, _) = general.Next(batchSize);
        Tensor teacherLogits;
        using (no_grad()) teacherLogits = teacher.forward(input);                     // (B, T, V)
        return Term(student.forward(input), teacherLogits, target.ne(BatchRows.IgnoreIndex), beta, temperature);
    }

    /// <summary>β·T²·KL(p_teacher,T ‖ p_student,T), averaged over the positions where <paramref name="mask"/> is true.</summary>
    public static Tensor Term(Tensor studentLogits, Tensor teacherLogits, Tensor mask, double beta, double temperature)
    {
        var logStudent = (studentLogits / temperature).log_softmax(-1);              // (B, T, V)
        var logTeacher = (teacherLogits / temperature).log_softmax(-1);              // (B, T, V)
        var kl = (logTeacher.exp() * (logTeacher - logStudent)).sum(-1);             // (B, T)
        var weights = mask.to_type(kl.dtype);
        return (kl * weights).sum() / weights.sum().clamp_min(1) * (beta * temperature * temperature);
    }

    /// <summary>A frozen copy of the weights the model computes with (adapters merged or dropped), in eval mode.</summary>
    public static CausalLanguageModel FrozenCopy(CausalLanguageModel model)
    {
        var copy = ModelArchitectures.Create(model.Config);
        var effective = model.EffectiveStateDict();
        using (no_grad())
            foreach (var (key, value) in copy.state_dict())
                value.copy_(effective[key]);
        foreach (var p in copy.parameters()) p.requires_grad = false;
        copy.eval();
        return copy;
    }
}
