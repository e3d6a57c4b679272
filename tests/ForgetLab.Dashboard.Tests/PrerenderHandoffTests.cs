using System.Security.Claims;
using ForgetLab.Dashboard.Components;
using Microsoft.Extensions.Time.Testing;

namespace ForgetLab.Dashboard.Tests;

public sealed class PrerenderHandoffTests
{
    private static readonly ClaimsPrincipal Alice = Member("alice"), Bob = Member("bob");

    [Fact]
    public void ThePrerendersDataIsTakenOnceAndOnlyByTheUserItWasLoadedFor()
    {
        var handoff = new PrerenderHandoff(new FakeTimeProvider());
        var data = new object();
        var token = handoff.Give(Alice, data);

        Assert.Null(handoff.Take<object>(token, Bob));
        var other = handoff.Give(Alice, data);
        Assert.Same(data, handoff.Take<object>(other, Alice));
        Assert.Null(handoff.Take<object>(other, Alice));
        Assert.Null(handoff.Take<object>(null, Alice));
        Assert.Null(handoff.Take<object>("not-a-token", Alice));
    }

    [Fact]
    public void ACircuitThatStartsAfterTheLifetimeLoadsItsOwnData()
    {
        var clock = new FakeTimeProvider();
        var handoff = new PrerenderHandoff(clock);
        var token = handoff.Give(Alice, new object());

        clock.Advance(PrerenderHandoff.Lifetime);

        Assert.Null(handoff.Take<object>(token, Alice));
    }

    [Fact]
    public void PageLoadsCannotGrowTheHandoffPastItsCapacityAndExpiredEntriesMakeRoom()
    {
        var clock = new FakeTimeProvider();
        var handoff = new PrerenderHandoff(clock);
        var tokens = Enumerable.Range(0, PrerenderHandoff.Capacity).Select(_ => handoff.Give(Alice, new object())).ToList();
        Assert.All(tokens, Assert.NotNull);

        Assert.Null(handoff.Give(Alice, new object()));

        clock.Advance(PrerenderHandoff.Lifetime);
        Assert.NotNull(handoff.Give(Alice, new object()));
    }

    private static ClaimsPrincipal Member(string name) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("tenant", "demo")], "test"));
}
