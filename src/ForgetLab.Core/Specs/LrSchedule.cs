namespace ForgetLab.Core.Specs;

/// <summary>Learning-rate schedule after warm-up (YAML: cosine | constant | linear).</summary>
public enum LrSchedule
{
    Cosine,
    Constant,
    Linear,
}
