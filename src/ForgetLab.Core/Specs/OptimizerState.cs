namespace ForgetLab.Core.Specs;

/// <summary>Where fine-tuning's AdamW moments start (YAML: <c>train.optimizer_state: fresh | pretrain</c>).</summary>
public enum OptimizerState
{
    /// <summary>Zero moments, as a fresh optimizer (the default).</summary>
    Fresh,

    /// <summary>The moments the base's pre-training ended with, when the base folder kept them.</summary>
    Pretrain,
}
