namespace BaseAgency.Secrets;

/// <summary>
/// A secret a command carries in memory: a password, an API key, a refresh token. It prints as nothing,
/// so a command that is logged whole (Wolverine logs a failed command with its ToString) leaks nothing.
/// </summary>
public readonly record struct Secret(string Value)
{
    public override string ToString() => "***";
}
