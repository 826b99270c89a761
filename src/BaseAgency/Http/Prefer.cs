namespace BaseAgency.Http;

/// <summary>
/// The <c>Prefer: wait[=n]</c> preference (RFC 7240, as Replicate's API uses it): how long a submission may hold the answer
/// for the job to finish. Preferences are hints: a malformed or unknown one is ignored, never an error.
/// </summary>
public static class Prefer
{
    public const string Header = "Prefer";
    public const string AppliedHeader = "Preference-Applied";
    public const int LongestWait = 60;

    /// <summary>
    /// Seconds to wait: <c>wait</c> alone is <see cref="LongestWait"/>, <c>wait=n</c> is n capped at it; null when not asked or
    /// not understood (zero, negative, not a number). Other preferences in the header (<c>respond-async, wait=5</c>) are skipped.
    /// </summary>
    public static int? WaitOf(IHeaderDictionary headers)
    {
        int? wait = null;
        foreach (var value in headers[Header])
        foreach (var preference in (value ?? "").Split(','))
        {
            var token = preference.Split(';')[0].Trim(); // parameters after ';' are not ours
            var equals = token.IndexOf('=');
            var name = (equals < 0 ? token : token[..equals]).Trim();
            if (!name.Equals("wait", StringComparison.OrdinalIgnoreCase) || wait is not null) continue; // the first one counts
            if (equals < 0) wait = LongestWait;
            else if (int.TryParse(token[(equals + 1)..].Trim().Trim('"'), System.Globalization.NumberStyles.None, null, out var seconds) && seconds > 0)
                wait = Math.Min(seconds, LongestWait);
            else wait = 0; // understood as wait but unusable: ignored, and a later one does not count either
        }
        return wait is > 0 ? wait : null;
    }
}
