using System.Net;
using Workflow.Messaging.Engine.Nodes.Http;

namespace Workflow.Messaging.Security.Tests.Http;

public class EgressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.8.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.100.100.200")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("ff02::1")]
    [InlineData("255.255.255.255")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::1")]
    public void Internal_addresses_are_refused_by_default(string address)
    {
        new EgressPolicy(new HttpNodeOptions()).Refusal(IPAddress.Parse(address)).Should().NotBeNull();
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_allowed(string address)
    {
        new EgressPolicy(new HttpNodeOptions()).Refusal(IPAddress.Parse(address)).Should().BeNull();
    }

    [Fact]
    public void AllowLoopback_opens_loopback_and_nothing_else()
    {
        var policy = new EgressPolicy(new HttpNodeOptions { AllowLoopback = true });

        policy.Refusal(IPAddress.Loopback).Should().BeNull();
        policy.Refusal(IPAddress.IPv6Loopback).Should().BeNull();
        policy.Refusal(IPAddress.Parse("169.254.169.254")).Should().NotBeNull();
        policy.Refusal(IPAddress.Parse("10.0.0.1")).Should().NotBeNull();
    }

    [Fact]
    public void AllowedNetworks_opens_the_listed_ranges_and_single_addresses()
    {
        var policy = new EgressPolicy(new HttpNodeOptions { AllowedNetworks = ["10.20.0.0/16", "192.168.1.7"] });

        policy.Refusal(IPAddress.Parse("10.20.3.4")).Should().BeNull();
        policy.Refusal(IPAddress.Parse("192.168.1.7")).Should().BeNull();
        policy.Refusal(IPAddress.Parse("10.21.0.1")).Should().NotBeNull();
        policy.Refusal(IPAddress.Parse("192.168.1.8")).Should().NotBeNull();
    }

    [Fact]
    public void A_malformed_network_is_a_configuration_error_that_names_it()
    {
        var act = () => new EgressPolicy(new HttpNodeOptions { AllowedNetworks = ["10.0.0.0/33x"] });

        act.Should().Throw<FormatException>().WithMessage("*10.0.0.0/33x*");
    }
}
