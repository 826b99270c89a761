using Wolverine;

namespace BaseAgency.Hosting;

/// <summary>
/// Invokes <typeparamref name="TMessage"/> through Wolverine at start-up and then every <paramref name="interval"/>, on every
/// node: the housekeeping it runs (purging old audit entries, old events) is idempotent, so no leader is needed, and a node
/// that was down never leaves the data past its window.
/// </summary>
public sealed class Recurring<TMessage>(TimeSpan interval, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider clock,
    ILogger<Recurring<TMessage>> log) : BackgroundService where TMessage : new()
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // Wolverine takes messages once the host has started.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(started.SetResult)) await started.Task.WaitAsync(stopping);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new TMessage(), stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                log.LogError(error, "{Message} failed; trying again in {Interval}", typeof(TMessage).Name, interval);
            }
            await Task.Delay(interval, clock, stopping);
        }
    }

    public static void AddTo(IServiceCollection services, TimeSpan interval) =>
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<Recurring<TMessage>>(sp, interval));
}
