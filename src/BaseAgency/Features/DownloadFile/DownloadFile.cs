using BaseAgency.Http;
using BaseAgency.Storage;
using FastEndpoints;

namespace BaseAgency.Features.DownloadFile;

public sealed class DownloadFileRequest
{
    [QueryParam] public long Expires { get; init; }
    [QueryParam] public string Type { get; init; } = "";
    [QueryParam] public string Sig { get; init; } = "";
}

/// <summary>
/// GET /api/files/{key}?expires=&amp;type=&amp;sig= : a file from local storage, for whoever holds a link we
/// signed and only until it expires (the signature is the authorization). With S3 the links point at S3.
/// </summary>
public sealed class DownloadFileEndpoint(IFileStore files, TimeProvider clock) : Endpoint<DownloadFileRequest>
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
        var key = Route<string>("key") ?? "";
        if (files is not LocalDiskStore local)
        {
            await Send.ResultAsync(Problems.NotFound("The file"));
            return;
        }
        if (!local.Verify(key, req.Expires, req.Type, req.Sig))
        {
            await Send.ResultAsync(Problems.Forbidden("invalid_file_signature", "The link is not valid or has expired.",
                "Ask the API for a fresh link (GET /api/generations/{id})."));
            return;
        }
        var content = await files.OpenAsync(key, ct);
        if (content is null)
        {
            await Send.ResultAsync(Problems.NotFound("The file"));
            return;
        }
        var left = Math.Max(0, req.Expires - clock.GetUtcNow().ToUnixTimeSeconds());
        HttpContext.Response.Headers.CacheControl = $"private, max-age={left}";
        HttpContext.Response.Headers["X-Content-Type-Options"] = "nosniff";
        HttpContext.Response.Headers.ContentDisposition = "inline";
        await Send.StreamAsync(content, contentType: req.Type, cancellation: ct);
    }
}
