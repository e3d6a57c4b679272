using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Training.Consolidation;

/// <summary>The registry of the engine's regularisers: one line per Core <see cref="RegularizerSpec"/> record.</summary>
public static class Regularizers
{
    public static IRegularizer For(RegularizerSpec spec, RegularizerContext context) => spec switch
    {
        EwcSpec e => new Ewc(context.Anchors, context.Own(FisherDiagonal.Estimate(context.Model, context.General(2), e.FisherBatches, context.BatchSize)), e.Lambda),
        L2SpSpec l => new L2Sp(context.Anchors, l.Alpha),
        DistillSpec d => new Distillation(context.Model, context.Own(Distillation.FrozenCopy(context.Model)), context.General(3), context.BatchSize, d.Beta, d.Temperature, (ulong)context.Seed),
        _ => throw new NotSupportedException($"regulariser '{spec.Type}' is not supported by this engine"),
    };
}
