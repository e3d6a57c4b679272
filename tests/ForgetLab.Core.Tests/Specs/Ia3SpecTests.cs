using ForgetLab.Core.Specs;
using static ForgetLab.Core.Tests.Specs.SpecText;

namespace ForgetLab.Core.Tests.Specs;

public class Ia3SpecTests
{
    private static string WithMethod(string method) => With("- { type: full }", method);

    [Fact]
    public void Ia3TakesPeftsGpt2DefaultsInItsShortAndLongForms()
    {
        foreach (var method in new[] { "- ia3", "- { type: ia3 }" })
        {
            var ia3 = Assert.IsType<Ia3Spec>(Parse(WithMethod(method)).Grid.Methods[0]);

            Assert.Equal(["c_attn", "mlp.c_proj"], ia3.TargetModules);
            Assert.Equal(["mlp.c_proj"], ia3.FeedforwardModules);
            Assert.Equal("ia3", ia3.Label);
        }
    }

    [Fact]
    public void Ia3RunsAreNamedAndReportTheirModules()
    {
        var spec = Parse(WithMethod("- { type: ia3, target_modules: [c_attn, c_fc, mlp.c_proj], feedforward_modules: [mlp.c_proj], lr: 3.0e-3 }"));
        var run = GridExpansion.Expand(spec).First(r => r.Method is Ia3Spec);

        Assert.Equal("ia3-lr3e-3-steps20-seed1", run.Name);
        Assert.Equal(
            [new("ia3_target_modules", "c_attn,c_fc,mlp.c_proj"), new KeyValuePair<string, string>("ia3_feedforward_modules", "mlp.c_proj")],
            run.Method.Hyperparameters());
    }

    [Theory]
    [InlineData("- { type: ia3, feedforward_modules: [c_fc] }",
        "spec.yaml:27 grid.method[0].feedforward_modules: 'c_fc' is not one of target_modules (PEFT: feedforward_modules must be a subset of target_modules)")]
    [InlineData("- { type: ia3, rank: 4 }", "spec.yaml:27 grid.method[0].rank: applies only to type 'lora'")]
    [InlineData("- { type: ia3, target_modules: [c_attn, c_attn] }", "spec.yaml:27 grid.method[0].target_modules[1]: same value as grid.method[0].target_modules[0]")]
    public void ABadIa3EntryIsRejectedWithItsPathAndReason(string method, string expected) =>
        Assert.Equal([expected], Errors(WithMethod(method)));
}
