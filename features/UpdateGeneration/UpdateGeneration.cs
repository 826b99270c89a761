namespace BaseAgency.Features.UpdateGeneration;

/// <summary>Fields left out stay as they are; <c>clearProject</c> removes the project.</summary>
public sealed record UpdateGenerationRequest(IReadOnlyList<string>? Tags = null, bool? IsFavorite = null, Guid? ProjectId = null, bool ClearProject = false);

public sealed record UpdateGeneration(Guid GenerationId, IReadOnlyList<string>? Tags, bool? IsFavorite, Guid? ProjectId, bool ClearProject);
