using System.Globalization;
using System.Text;

namespace BaseAgency.Organizations;

public static class Slugs
{
    /// <summary>"Agência Três Irmãos!" → "agencia-tres-irmaos".</summary>
    public static string From(string name)
    {
        var plain = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            plain.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        var slug = string.Join('-', plain.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        if (slug.Length > 60) slug = slug[..60].TrimEnd('-');
        return slug.Length == 0 ? "org" : slug;
    }

    /// <summary>A variant used when the plain slug is taken.</summary>
    public static string WithSuffix(string slug) => $"{slug}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..3])}";
}
