using BaseAgency.Generations;
using BaseAgency.Http;
using Marten;

namespace BaseAgency.Features.DownloadGenerationFile;

/// <summary>The organization's session only finds its own generations; a deleted one's files are no longer served.</summary>
public static class DownloadGenerationFileHandler
{
    public static async Task<Outcome<GenerationFileToSend>> Handle(DownloadGenerationFile query, IQuerySession session, CancellationToken ct)
    {
        var generation = await session.LoadAsync<Generation>(query.GenerationId, ct);
        return generation is { DeletedAt: null } && query.Index >= 0 && query.Index < generation.Files.Count
            ? FileToSend(generation, query.Index)
            : Problems.NotFound("The file");
    }

    public static GenerationFileToSend FileToSend(Generation generation, int index)
    {
        var file = generation.Files[index];
        return new GenerationFileToSend(file.Key, file.ContentType, file.SizeBytes,
            $"{generation.Id}-{index}.{Path.GetExtension(file.Key).TrimStart('.')}");
    }
}
