using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Storage;
using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.DownloadGenerationFile;

/// <summary>The file itself, for a signed-in member of its organization.</summary>
public sealed class DownloadGenerationFileEndpoint(IMessageBus bus, IFileStore files) : EndpointWithoutRequest
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
        var outcome = await bus.InvokeForTenantAsync<Outcome<GenerationFileToSend>>(User.Required().Tenant,
            new DownloadGenerationFile(Route<Guid>("generationId"), Route<int>("index")), ct);
        if (outcome.Problem is { } problem)
        {
            await Send.ResultAsync(problem);
            return;
        }
        var file = outcome.Value!;
        if (await files.OpenAsync(file.Key, ct) is not { } content)
        {
            await Send.ResultAsync(Problems.NotFound("The file"));
            return;
        }
        HttpContext.Response.Headers.CacheControl = "private, max-age=3600";
        HttpContext.Response.Headers["X-Content-Type-Options"] = "nosniff";
        await Send.StreamAsync(content, file.FileName, file.SizeBytes, file.ContentType, cancellation: ct);
    }
}
