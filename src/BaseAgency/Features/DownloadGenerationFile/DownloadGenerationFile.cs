using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Storage;
using FastEndpoints;
using Marten;

namespace BaseAgency.Features.DownloadGenerationFile;

/// <summary>GET /api/generations/{id}/files/{index}: the file itself, for a signed-in member of its organization.</summary>
public sealed class DownloadGenerationFileEndpoint(IQuerySession session, IFileStore files) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/generations/{generationId:guid}/files/{index:int}");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("DownloadGenerationFile").WithSummary("Download a generation's file").WithTags("Generations")
            .Produces(200, typeof(Stream), "application/octet-stream").ProducesProblem(404));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var index = Route<int>("index");
        var generation = await session.LoadAsync<Generation>(Route<Guid>("generationId"), ct);
        if (generation is not { DeletedAt: null } || index < 0 || index >= generation.Files.Count)
        {
            await Send.ResultAsync(Problems.NotFound("The file"));
            return;
        }
        var file = generation.Files[index];
        var content = await files.OpenAsync(file.Key, ct);
        if (content is null)
        {
            await Send.ResultAsync(Problems.NotFound("The file"));
            return;
        }
        HttpContext.Response.Headers.CacheControl = "private, max-age=3600";
        HttpContext.Response.Headers["X-Content-Type-Options"] = "nosniff";
        await Send.StreamAsync(content, $"{generation.Id}-{index}.{Path.GetExtension(file.Key).TrimStart('.')}", file.SizeBytes, file.ContentType,
            cancellation: ct);
    }
}
