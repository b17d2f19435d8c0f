namespace Workflow.Messaging.Engine.Templates;

/// <summary>A template that cannot be parsed or names something that does not exist.</summary>
public sealed class TemplateException(string message) : Exception(message);
