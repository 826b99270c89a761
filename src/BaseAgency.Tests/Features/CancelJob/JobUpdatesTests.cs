using BaseAgency.Generations;
using Microsoft.Extensions.Logging.Abstractions;

namespace BaseAgency.Tests.Features.CancelJob;

/// <summary>The node's record of the jobs it runs or holds for a retry, as cancels heard from any node reach them.</summary>
public sealed class JobUpdatesTests
{
    private static JobUpdates Updates() => new(null!, TimeProvider.System, NullLogger<JobUpdates>.Instance); // no progress is announced here

    [Fact]
    public void A_cancel_stops_the_job_a_worker_holds_and_no_other()
    {
        var updates = Updates();
        var (canceled, other) = (Guid.NewGuid(), Guid.NewGuid());
        using var held = updates.Running(canceled);
        using var untouched = updates.Running(other);

        updates.Cancel(canceled);

        held.IsCancellationRequested.ShouldBeTrue();
        untouched.IsCancellationRequested.ShouldBeFalse();
        updates.Held.ShouldBe([canceled, other], ignoreOrder: true);
    }

    [Fact]
    public void A_cancel_heard_just_before_the_worker_registers_still_stops_it()
    {
        var updates = Updates();
        var jobId = Guid.NewGuid();

        updates.Cancel(jobId);

        using var source = updates.Running(jobId);
        source.IsCancellationRequested.ShouldBeTrue();
    }

    [Fact]
    public void A_cancel_after_the_worker_let_the_job_go_is_harmless()
    {
        var updates = Updates();
        var jobId = Guid.NewGuid();
        var source = updates.Running(jobId);
        updates.Stopped(jobId);
        source.Dispose();

        Should.NotThrow(() => updates.Cancel(jobId));
        updates.Held.ShouldBeEmpty();
    }
}
