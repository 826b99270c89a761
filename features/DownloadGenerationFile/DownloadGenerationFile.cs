namespace BaseAgency.Features.DownloadGenerationFile;

public sealed record DownloadGenerationFile(Guid GenerationId, int Index);

/// <summary>Where a generation's file is stored, and what the download calls it.</summary>
public sealed record GenerationFileToSend(string Key, string ContentType, long SizeBytes, string FileName);
