using Workflow.Messaging.Coordinator.Console.Layout;

namespace Workflow.Messaging.Console.Tests.Layout;

public sealed class SvgGraphTests
{
    [Fact]
    public void Every_node_is_a_group_the_page_script_can_find_by_id_with_its_state()
    {
        var layout = LayeredLayout.Compute(new GraphSource(
            [new GraphNode("fetch", "Fetch", "http"), new GraphNode("save", "save", "set")],
            [new GraphEdge("fetch", "save", "error")]));

        var svg = SvgGraph.Render(layout, new SvgDecorations { StateOf = id => id == "fetch" ? "succeeded" : "pending" });

        svg.Should().StartWith("<svg").And.EndWith("</svg>");
        svg.Should().Contain("data-node=\"fetch\" data-type=\"http\" data-state=\"succeeded\"");
        svg.Should().Contain("data-node=\"save\" data-type=\"set\" data-state=\"pending\"");
        svg.Should().Contain("class=\"edge error\" data-from=\"fetch\" data-to=\"save\"");
        svg.Should().Contain(">error</text>", "a connection from a port other than main is labelled");
    }

    [Fact]
    public void Ids_and_labels_from_a_definition_are_encoded()
    {
        var layout = LayeredLayout.Compute(new GraphSource([new GraphNode("<script>x</script>", "\"quoted\" & <b>", "set")], []));

        var svg = SvgGraph.Render(layout);

        svg.Should().NotContain("<script>").And.NotContain("<b>");
        svg.Should().Contain("&lt;script&gt;x&lt;/script&gt;").And.Contain("&quot;quoted&quot; &amp;");
    }

    [Fact]
    public void Problems_show_as_a_badge_with_their_count_on_the_node()
    {
        var layout = LayeredLayout.Compute(new GraphSource([new GraphNode("a", "a", "bogus"), new GraphNode("b", "b", "set")], []));

        var svg = SvgGraph.Render(layout, new SvgDecorations
        {
            ProblemsOf = id => id == "a" ? ["unknown node type 'bogus'", "no parameters"] : [],
        });

        svg.Should().Contain("class=\"node has-problems\" data-node=\"a\"");
        svg.Should().Contain("class=\"node\" data-node=\"b\"");
        svg.Should().Contain(">2</text></g>");
        svg.Should().Contain("unknown node type &#39;bogus&#39;");
    }
}
