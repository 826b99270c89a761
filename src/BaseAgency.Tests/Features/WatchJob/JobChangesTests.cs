using System.Text.Json.Nodes;
using BaseAgency.Events;
using BaseAgency.Features.WatchJob;

namespace BaseAgency.Tests.Features.WatchJob;

public sealed class JobChangesTests
{
    private static readonly Guid Job = Guid.CreateVersion7();

    private static JsonObject State(string status, int progress, int attempts = 1) =>
        new() { ["id"] = Job.ToString(), ["status"] = status, ["progress"] = progress, ["attempts"] = attempts };

    private static LiveEvent Event(string type, JsonObject data) =>
        new(null, null, type, new JsonObject { ["type"] = type, ["data"] = data }.ToJsonString());

    [Fact]
    public void Progress_moves_a_processing_job_forward_only()
    {
        var running = State("processing", 30);
        JobChanges.Apply(running, Job, Event(EventTypes.JobProgress, new() { ["id"] = Job.ToString(), ["progress"] = 80 }))!["progress"]!
            .GetValue<int>().ShouldBe(80);
        JobChanges.Apply(running, Job, Event(EventTypes.JobProgress, new() { ["id"] = Job.ToString(), ["progress"] = 20 })).ShouldBeNull();
        JobChanges.Apply(State("completed", 100), Job, Event(EventTypes.JobProgress, new() { ["id"] = Job.ToString(), ["progress"] = 90 }))
            .ShouldBeNull();
    }

    [Fact]
    public void A_state_event_replaces_the_job_and_other_jobs_or_types_are_ignored()
    {
        var running = State("processing", 30);
        JobChanges.Apply(running, Job, Event(EventTypes.GenerationCompleted, State("completed", 100)))!["status"]!.GetValue<string>().ShouldBe("completed");
        JobChanges.IsFinal(EventTypes.GenerationCanceled).ShouldBeTrue();
        JobChanges.IsFinal(EventTypes.JobUpdated).ShouldBeFalse();
        var another = State("completed", 100);
        another["id"] = Guid.CreateVersion7().ToString();
        JobChanges.Apply(running, Job, Event(EventTypes.GenerationCompleted, another)).ShouldBeNull();
        JobChanges.Apply(running, Job, Event(EventTypes.CreditsPurchased, State("completed", 100))).ShouldBeNull();
    }

    [Fact]
    public void Only_status_progress_or_attempts_make_a_new_step()
    {
        JobChanges.SameStep(State("processing", 30), State("processing", 30)).ShouldBeTrue();
        JobChanges.SameStep(State("processing", 30), State("queued", 30)).ShouldBeFalse();
        JobChanges.SameStep(State("processing", 30, attempts: 1), State("processing", 30, attempts: 2)).ShouldBeFalse();
    }
}
