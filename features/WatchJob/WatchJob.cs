using System.Text.Json.Nodes;
using BaseAgency.Events;
using BaseAgency.Generations;

namespace BaseAgency.Features.WatchJob;

public sealed record WatchJob(Guid JobId);

/// <summary>The job as the stream shows it, and whether the stream may end.</summary>
public sealed record JobState(JobView Job, bool Finished);

/// <summary>What an organization event means for the watched job, decided on plain JSON (the API's own view of the job).</summary>
public static class JobChanges
{
    private static readonly HashSet<string> Final = [EventTypes.GenerationCompleted, EventTypes.GenerationFailed, EventTypes.GenerationCanceled];

    public static bool IsFinal(string type) => Final.Contains(type);

    /// <summary>
    /// The job after <paramref name="e"/>, or null when the event is not about it. A state event carries the whole job; progress
    /// only moves a processing job forward (a late progress report never undoes a newer state).
    /// </summary>
    public static JsonObject? Apply(JsonObject job, Guid jobId, LiveEvent e)
    {
        if (e.Type != EventTypes.JobUpdated && e.Type != EventTypes.JobProgress && !IsFinal(e.Type)) return null;
        var data = JsonNode.Parse(e.Json)?["data"]?.AsObject();
        if (data?["id"]?.GetValue<string>() is not { } id || !Guid.TryParse(id, out var about) || about != jobId) return null;
        if (e.Type != EventTypes.JobProgress) return data.DeepClone().AsObject();
        var progress = data["progress"]!.GetValue<int>();
        if (job["status"]?.GetValue<string>() != "processing" || progress <= job["progress"]!.GetValue<int>()) return null;
        var moved = job.DeepClone().AsObject();
        moved["progress"] = progress;
        return moved;
    }

    /// <summary>Same status, progress and attempt: nothing a watcher needs to hear again.</summary>
    public static bool SameStep(JsonObject a, JsonObject b) =>
        a["status"]?.ToJsonString() == b["status"]?.ToJsonString() && a["progress"]?.ToJsonString() == b["progress"]?.ToJsonString()
        && a["attempts"]?.ToJsonString() == b["attempts"]?.ToJsonString();
}
