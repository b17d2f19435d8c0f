namespace Workflow.Messaging.Engine.Validation;

/// <summary>The stable codes of <see cref="Contracts.DefinitionProblem"/>; clients may branch on them.</summary>
public static class DefinitionProblemCodes
{
    // Reading the JSON.
    public const string MalformedJson = "malformed-json";
    public const string WrongType = "wrong-type";
    public const string MissingProperty = "missing-property";
    public const string UnknownProperty = "unknown-property";
    public const string DuplicateProperty = "duplicate-property";
    public const string InvalidValue = "invalid-value";
    public const string InvalidDuration = "invalid-duration";

    // Size.
    public const string DefinitionTooLarge = "definition-too-large";
    public const string TooManyNodes = "too-many-nodes";
    public const string TooManyConnections = "too-many-connections";
    public const string TooManyProblems = "too-many-problems";

    // Workflow.
    public const string MissingId = "missing-id";
    public const string InvalidId = "invalid-id";
    public const string InvalidVersion = "invalid-version";
    public const string NoNodes = "no-nodes";
    public const string InvalidSettings = "invalid-settings";

    // Nodes.
    public const string MissingNode = "missing-node";
    public const string MissingNodeId = "missing-node-id";
    public const string InvalidNodeId = "invalid-node-id";
    public const string DuplicateNodeId = "duplicate-node-id";
    public const string MissingNodeType = "missing-node-type";
    public const string UnknownNodeType = "unknown-node-type";
    public const string MissingParameter = "missing-parameter";
    public const string InvalidParameter = "invalid-parameter";
    public const string InvalidRetry = "invalid-retry";
    public const string InvalidTimeout = "invalid-timeout";
    public const string InvalidJoin = "invalid-join";
    public const string JoinNeedsSeveralInputs = "join-needs-several-inputs";
    public const string InvalidFanOut = "invalid-fan-out";
    public const string InvalidPool = "invalid-pool";
    public const string InvalidResource = "invalid-resource";
    public const string UnknownNodeReference = "unknown-node-reference";
    public const string NodeReferenceNotUpstream = "node-reference-not-upstream";

    // Connections and graph.
    public const string MissingConnection = "missing-connection";
    public const string DanglingConnection = "dangling-connection";
    public const string DuplicateConnection = "duplicate-connection";
    public const string SelfLoop = "self-loop";
    public const string UnknownOutputPort = "unknown-output-port";
    public const string ErrorPortNotEnabled = "error-port-not-enabled";
    public const string Cycle = "cycle";
    public const string NoStartNode = "no-start-node";
    public const string UnreachableNode = "unreachable-node";
}
