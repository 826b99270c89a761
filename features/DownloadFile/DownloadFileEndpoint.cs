using BaseAgency.Http;
using BaseAgency.Storage;
using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.DownloadFile;

/// <summary>A file from local storage, through a link we signed.</summary>
public sealed class DownloadFileEndpoint(IMessageBus bus, IFileStore files) : Endpoint<DownloadFileRequest>
{
    public override void Configure()
    {
        Get("/files/{**key}");
        AllowAnonymous();
        Description(d => d.WithName("DownloadFile").WithSummary("A stored file, through a signed link").WithTags("Generations")
            .Produces(200, typeof(Stream), "application/octet-stream").ProducesProblem(403).ProducesProblem(404));
    }

    public override async Task HandleAsync(DownloadFileRequest req, CancellationToken ct)
    {
        var outcome = await bus.InvokeAsync<Outcome<LinkedFile>>(new DownloadFile(Route<string>("key") ?? "", req.Expires, req.Type, req.Sig), ct);
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
        HttpContext.Response.Headers.CacheControl = $"private, max-age={file.MaxAgeSeconds}";
        HttpContext.Response.Headers["X-Content-Type-Options"] = "nosniff";
        HttpContext.Response.Headers.ContentDisposition = "inline";
        await Send.StreamAsync(content, contentType: file.ContentType, cancellation: ct);
    }
}
