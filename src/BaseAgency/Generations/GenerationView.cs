using BaseAgency.Providers;
using BaseAgency.Storage;

namespace BaseAgency.Generations;

/// <param name="Url">A signed link that works for a short while (<see cref="UrlExpiresAt"/>), for img/audio tags.</param>
/// <param name="DownloadUrl">The authenticated download (needs the bearer token), always valid.</param>
public sealed record GenerationFileView(int Index, string ContentType, long SizeBytes, int? Width, int? Height, double? DurationSeconds,
    Uri Url, DateTimeOffset UrlExpiresAt, string DownloadUrl);

public sealed record GenerationView(
    Guid Id, Guid JobId, Guid CreatedBy, GenerationType Type, string Provider, string Model, string Prompt, string? NegativePrompt,
    JobInput Input, IReadOnlyList<GenerationFileView> Files, string? Text, int CreditsUsed, int TokensUsed,
    IReadOnlyList<string> Tags, bool IsFavorite, Guid? ProjectId, DateTimeOffset CreatedAt)
{
    public static GenerationView Of(Generation g, IFileStore files, DateTimeOffset urlExpiresAt) => new(
        g.Id, g.JobId, g.UserId, g.Type, g.Provider, g.Model, g.Input.Prompt, g.Input.NegativePrompt, g.Input,
        g.Files.Select((f, i) => new GenerationFileView(i, f.ContentType, f.SizeBytes, f.Width, f.Height, f.DurationSeconds,
            files.SignedUrl(f.Key, f.ContentType, urlExpiresAt), urlExpiresAt, $"/api/generations/{g.Id}/files/{i}")).ToList(),
        g.Text, g.CreditsUsed, g.TokensUsed, g.Tags, g.IsFavorite, g.ProjectId, g.CreatedAt);
}
