using Workflow.Messaging.Contracts;

namespace Workflow.Messaging.Engine.Tests;

public class DurationTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("00:00:10", 10_000)]
    public void TryParse_accepts_the_short_forms(string text, double expectedMilliseconds)
    {
        Duration.TryParse(text, out var value).Should().BeTrue();
        value.TotalMilliseconds.Should().Be(expectedMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("10")]
    [InlineData("1e300d")]
    public void TryParse_rejects_what_is_not_a_duration(string text) =>
        Duration.TryParse(text, out _).Should().BeFalse();
}
