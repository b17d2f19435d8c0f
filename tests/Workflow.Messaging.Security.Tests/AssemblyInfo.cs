// The probes measure time and memory; run in parallel they would measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
