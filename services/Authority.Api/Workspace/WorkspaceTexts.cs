namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// The workspace's texts: WorkspaceTexts.resx (Vietnamese, the neutral language) and
/// WorkspaceTexts.en.resx, read through IStringLocalizer&lt;WorkspaceTexts&gt;, the one
/// localisation mechanism for these pages.
/// </summary>
public sealed class WorkspaceTexts;
