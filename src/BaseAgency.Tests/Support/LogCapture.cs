using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BaseAgency.Tests.Support;

/// <summary>Keeps every log line the app writes, with its scopes, so tests can read what was logged.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    public ConcurrentQueue<LogLine> Lines { get; } = new();

    public ILogger CreateLogger(string category) => new Logger(this, category);
    public void SetScopeProvider(IExternalScopeProvider scopes) => _scopes = scopes;
    public void Dispose() { }

    public sealed record LogLine(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope, Exception? Exception);

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
        public bool IsEnabled(LogLevel level) => level >= LogLevel.Debug;

        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? error, Func<TState, Exception?, string> format)
        {
            var scope = new Dictionary<string, object?>();
            owner._scopes.ForEachScope((s, bag) =>
            {
                if (s is IEnumerable<KeyValuePair<string, object?>> pairs) foreach (var (k, v) in pairs) bag[k] = v;
                else if (s is IEnumerable<KeyValuePair<string, object>> pairs2) foreach (var (k, v) in pairs2) bag[k] = v;
            }, scope);
            owner.Lines.Enqueue(new LogLine(category, level, format(state, error), scope, error));
        }
    }
}
