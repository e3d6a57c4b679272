using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Tests.Specs;

namespace ForgetLab.Core.Tests.Models;

/// <summary>A run's memory need from its spec and base: the largest of pre-training, fine-tuning and evaluation, each Core's <see cref="MemoryEstimate"/>.</summary>
public class RunMemoryEstimateTests
{
    private static readonly ModelShape Reference = ModelShape.Gpt2(vocabSize: 512, nPositions: 128, nEmbd: 256, nLayer: 4, nHead: 4);

    private static LabSpec Spec(string yaml = SpecText.Valid) => SpecText.Parse(yaml);

    private static RunRecipe Recipe(LabSpec spec, string method) => GridExpansion.Expand(spec).First(r => r.Method.Type == method);

    [Fact]
    public void AFineTuningPeakIsTheEstimateOfTheRunsMethodBatchAndDtypeAtTheBasesContext()
    {
        var spec = Spec() with { Eval = new EvalSpec { BatchSize = 1 }, Base = new BaseModelSpec { Path = "/models/m" } };
        var recipe = Recipe(spec, "full");

        var run = RunMemoryEstimate.For(Reference, 128, spec, recipe);

        var expected = MemoryEstimate.ForTraining(Reference, recipe.Method, recipe.Train.BatchSize, 128, recipe.Train.ComputeDtype);
        Assert.Equal("fine-tuning", run.Phase);
        Assert.Equal(expected.TotalBytes, run.Bytes);
        Assert.Equal(expected, run.Peak);
        Assert.Equal(0, run.ConsolidationBytes);
    }

    [Fact]
    public void EvaluatingACheckpointKeepsTheTrainingStateAndAddsTheEvaluationBatchsActivations()
    {
        // Evaluation at batch 64 holds every forward intermediate: more than training's 16 rows keep for backward.
        var spec = Spec() with { Eval = new EvalSpec { BatchSize = 64 }, Base = new BaseModelSpec { Path = "/models/m" } };
        var recipe = Recipe(spec, "lora");

        var run = RunMemoryEstimate.For(Reference, 128, spec, recipe);

        var training = MemoryEstimate.ForTraining(Reference, recipe.Method, recipe.Train.BatchSize, 128, recipe.Train.ComputeDtype);
        var evaluation = MemoryEstimate.ForEvaluation(Reference, 64, 128);
        Assert.Equal("evaluation", run.Phase);
        Assert.Equal(training.TotalBytes - training.ActivationBytes + evaluation.ActivationBytes, run.Bytes);
        Assert.Equal(training.OptimizerBytes, run.Peak.OptimizerBytes);
    }

    [Fact]
    public void PreTrainingAWorldBaseIsThePeakOfALoraRunWhenItsBatchIsLarger()
    {
        var spec = Spec() with { Eval = new EvalSpec { BatchSize = 1 } };
        spec = spec with { Base = spec.Base with { Pretrain = spec.Base.Pretrain with { BatchSize = 64 } } };

        var run = RunMemoryEstimate.For(Reference, 128, spec, Recipe(spec, "lora"));

        Assert.Equal("pre-training", run.Phase);
        Assert.Equal(MemoryEstimate.ForTraining(Reference, MethodSpec.Full, 64, 128, ComputeDtype.Float32).TotalBytes, run.Bytes);
    }

    [Fact]
    public void ABaseFromAFolderIsNeverPreTrainedSoItsPeakIsFineTuningOrEvaluation()
    {
        var spec = Spec() with { Base = new BaseModelSpec { Path = "/models/m", Pretrain = new PretrainSpec { BatchSize = 4096 } } };

        Assert.NotEqual("pre-training", RunMemoryEstimate.For(Reference, 128, spec, Recipe(spec, "full")).Phase);
    }

    [Fact]
    public void ConsolidationTermsAddWhatTheyHold()
    {
        var spec = Spec() with { Eval = new EvalSpec { BatchSize = 1 }, Base = new BaseModelSpec { Path = "/models/m" } };
        var recipe = Recipe(spec, "full");
        var plain = RunMemoryEstimate.For(Reference, 128, spec, recipe).Bytes;
        long Bytes(TrainSpec train) => RunMemoryEstimate.For(Reference, 128, spec, recipe with { Train = train }).Bytes;

        // θ₀ for L2-SP; θ₀ and the Fisher for EWC (θ₀ shared when both are on): one float32 per trainable parameter each.
        var trainable = 4L * Reference.Parameters;
        Assert.Equal(plain + trainable, Bytes(recipe.Train with { L2Sp = new L2SpSpec { Alpha = 0.1 } }));
        Assert.Equal(plain + 2 * trainable, Bytes(recipe.Train with { Ewc = new EwcSpec { Lambda = 100 } }));
        Assert.Equal(plain + 2 * trainable, Bytes(recipe.Train with { Ewc = new EwcSpec { Lambda = 100 }, L2Sp = new L2SpSpec { Alpha = 0.1 } }));
        // Distillation: the frozen teacher's weights, its logits and the student's second forward on a general-text batch.
        var tokens = (long)recipe.Train.BatchSize * 128;
        var distilled = Bytes(recipe.Train with { Distill = new DistillSpec { Beta = 1 } });
        Assert.Equal(plain + 4L * Reference.Parameters + tokens * Reference.VocabSize * 4
            + tokens * MemoryEstimate.ActivationsPerToken(Reference, ComputeDtype.Float32, false), distilled);
    }

    [Fact]
    public void MethodsWhoseCountDependsOnTheEngineAreCountedFromTheShape()
    {
        // Prefix: per layer a key and a value prefix per head (heads × P × head size) and a gate per head.
        Assert.Equal(4L * (2 * 4 * 10 * 64 + 4), RunMemoryEstimate.TrainableParameters(Reference, new PrefixSpec { NumVirtualTokens = 10 }));
        // (IA)³'s GPT-2 defaults: c_attn's output (3·256) and mlp.c_proj's input (1024), per layer.
        Assert.Equal(4L * (768 + 1024), RunMemoryEstimate.TrainableParameters(Reference, new Ia3Spec()));
        // Freezing all but two blocks: those blocks' projections and norms.
        var block = Reference.Projections.Sum(p => p.Parameters) + Reference.NormParametersPerLayer;
        Assert.Equal(2 * block, RunMemoryEstimate.TrainableParameters(Reference, new FreezeSpec { TrainableLayers = [2, 3] }));
        Assert.Equal(MethodParameters.Trainable(Reference, new LoraSpec()), RunMemoryEstimate.TrainableParameters(Reference, new LoraSpec()));
    }

    [Fact]
    public void AWorldBaseIsSizedAsTheLabPreTrainsIt()
    {
        var spec = Spec();
        var world = BaseModelShape.OfWorld(spec.Base);

        Assert.Equal(32, world.ContextLength);
        Assert.Equivalent(ModelShape.Of(WorldBaseConfig.For(spec.Base, BaseModelShape.WorldWordVocabularyBound)), world.Shape, strict: true);
        var llama = BaseModelShape.OfWorld(spec.Base with { Architecture = BaseArchitecture.Llama, Tokenizer = new TokenizerSpec { Kind = TokenizerKind.SentencePiece, VocabSize = 1000 } });
        Assert.Equal("llama", llama.Shape.ModelType);
        Assert.Equal(1000, llama.Shape.VocabSize);
        Assert.Equal(WorldBaseConfig.IntermediateSize(32), llama.Shape.IntermediateSize);
    }

    [Fact]
    public void TheDescriptionNamesThePeakPhaseAndItsTerms()
    {
        var spec = Spec() with { Eval = new EvalSpec { BatchSize = 1 }, Base = new BaseModelSpec { Path = "/models/m" } };
        var text = RunMemoryEstimate.For(Reference, 128, spec, Recipe(spec, "full")).Describe();

        Assert.Matches(@"^\d+\.\d MiB at fine-tuning \(128 tokens a row\): weights 12\.7 MiB, gradients 12\.7 MiB, optimizer 25\.4 MiB, activations \d+\.\d MiB, runtime 180\.0 MiB$", text);
    }
}
