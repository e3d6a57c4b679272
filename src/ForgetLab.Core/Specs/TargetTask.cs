namespace ForgetLab.Core.Specs;

/// <summary>The kind of fine-tuning target (YAML: format | conflicting_facts | new_entities).</summary>
public enum TargetTask
{
    /// <summary>A narrow output-format task that touches no facts.</summary>
    Format,

    /// <summary>A counterfactual world that contradicts part of the pre-training knowledge.</summary>
    ConflictingFacts,

    /// <summary>New knowledge about entities the base model has never seen.</summary>
    NewEntities,
}
