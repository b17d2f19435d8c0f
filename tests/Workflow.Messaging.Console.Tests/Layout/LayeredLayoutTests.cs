using Workflow.Messaging.Coordinator.Console.Layout;

namespace Workflow.Messaging.Console.Tests.Layout;

public sealed class LayeredLayoutTests
{
    [Fact]
    public void A_chain_goes_left_to_right_one_layer_per_node()
    {
        var layout = LayeredLayout.Compute(Graph(["a", "b", "c"], ("a", "b"), ("b", "c")));

        layout.Nodes.Select(n => n.Layer).Should().Equal(0, 1, 2);
        layout.Nodes.Select(n => n.X).Should().BeInAscendingOrder();
        layout.Nodes.Select(n => n.CenterY).Distinct().Should().HaveCount(1, "a chain is drawn as a straight line");
        layout.Edges.Should().OnlyContain(e => e.Points.Count == 2);
    }

    [Fact]
    public void A_node_sits_one_layer_after_its_longest_incoming_path_and_long_edges_bend_through_the_layers_between()
    {
        var layout = LayeredLayout.Compute(Graph(["a", "b", "c"], ("a", "b"), ("b", "c"), ("a", "c")));

        layout.Find("c")!.Layer.Should().Be(2);
        var skip = layout.Edges.Single(e => e.Edge is { From: "a", To: "c" });
        skip.Points.Should().HaveCount(4, "the edge crosses layer 1 through a bend on each side of the column");
        skip.Points.Select(p => p.X).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Barycenter_ordering_removes_the_crossing_that_definition_order_would_draw()
    {
        // In definition order c is above d, so a→d and b→c would cross.
        var source = Graph(["a", "b", "c", "d"], ("a", "d"), ("b", "c"));

        var layout = LayeredLayout.Compute(source);

        layout.Crossings.Should().Be(0);
        layout.Find("d")!.Y.Should().BeLessThan(layout.Find("c")!.Y);
    }

    [Fact]
    public void Crossings_that_cannot_be_avoided_are_counted_not_hidden()
    {
        // K(2,2) in two layers always has one crossing.
        var layout = LayeredLayout.Compute(Graph(["a", "b", "c", "d"], ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d")));

        layout.Crossings.Should().Be(1);
    }

    [Fact]
    public void Nodes_of_a_layer_never_overlap()
    {
        var fan = Graph(["start", "x1", "x2", "x3", "x4", "x5", "end"],
            ("start", "x1"), ("start", "x2"), ("start", "x3"), ("start", "x4"), ("start", "x5"),
            ("x1", "end"), ("x2", "end"), ("x3", "end"), ("x4", "end"), ("x5", "end"), ("start", "end"));

        var layout = LayeredLayout.Compute(fan);

        foreach (var layer in layout.Nodes.GroupBy(n => n.Layer))
        {
            var ordered = layer.OrderBy(n => n.Y).ToList();
            for (var i = 1; i < ordered.Count; i++)
                ordered[i].Y.Should().BeGreaterThanOrEqualTo(ordered[i - 1].Y + ordered[i - 1].Height + LayoutOptions.Default.NodeGap - 0.001);
        }
        layout.Nodes.Should().OnlyContain(n => n.Y >= 0 && n.Y + n.Height <= layout.Height && n.X + n.Width <= layout.Width);
    }

    [Fact]
    public void The_order_pipeline_sample_is_laid_out_in_four_layers_without_crossings()
    {
        var source = GraphSource.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "order-pipeline.json")));

        var layout = LayeredLayout.Compute(source);

        layout.Crossings.Should().Be(0);
        layout.Nodes.ToDictionary(n => n.Id, n => n.Layer).Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["validate"] = 0, ["reserve"] = 1, ["charge"] = 1, ["reject"] = 1, ["ready"] = 2, ["confirm"] = 3,
        });
        layout.Find("reserve")!.Node.FanOut.Should().BeTrue();
    }

    [Fact]
    public void A_cycle_in_an_invalid_definition_is_drawn_with_its_closing_edge_reversed()
    {
        var layout = LayeredLayout.Compute(Graph(["a", "b", "c"], ("a", "b"), ("b", "c"), ("c", "a"), ("c", "missing"), ("b", "b")));

        layout.Nodes.Should().HaveCount(3);
        layout.Edges.Should().HaveCount(3, "edges to unknown nodes and self-loops have no place in the drawing");
        layout.Edges.Single(e => e.Reversed).Edge.Should().Be(new GraphEdge("c", "a"));
        layout.Nodes.Select(n => n.Layer).Should().Equal(0, 1, 2);
    }

    [Fact]
    public void A_long_chain_of_a_thousand_nodes_is_laid_out_quickly()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"n{i}").ToList();
        var edges = ids.Zip(ids.Skip(1)).Select(p => (p.First, p.Second)).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var layout = LayeredLayout.Compute(Graph(ids, edges));

        watch.Stop();
        layout.Nodes[^1].Layer.Should().Be(999);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void The_same_source_always_gives_the_same_drawing()
    {
        var source = Graph(["a", "b", "c", "d", "e"], ("a", "c"), ("b", "c"), ("a", "e"), ("c", "d"), ("b", "d"));

        var first = SvgGraph.Render(LayeredLayout.Compute(source));
        var second = SvgGraph.Render(LayeredLayout.Compute(source));

        second.Should().Be(first);
    }

    [Fact]
    public void A_lenient_source_reads_nodes_and_connections_from_broken_json()
    {
        var source = GraphSource.FromJson("""
            { "id": "x", "nodes": [ { "id": "a", "type": "set" }, { "type": "nope" }, 7 ],
              "connections": [ { "from": "a", "to": "#1", "output": "true" }, { "from": 3 } ] }
            """);

        source.Nodes.Select(n => n.Id).Should().Equal("a", "#1", "#2");
        source.Edges.Should().Equal(new GraphEdge("a", "#1", "true"));
        GraphSource.FromJson("not json {").Nodes.Should().BeEmpty();
    }

    private static GraphSource Graph(IReadOnlyList<string> ids, params (string From, string To)[] edges) =>
        new(ids.Select(id => new GraphNode(id, id, "noop")).ToList(), edges.Select(e => new GraphEdge(e.From, e.To)).ToList());
}
